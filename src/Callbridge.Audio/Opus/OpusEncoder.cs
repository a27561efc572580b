using Callbridge.Audio.Native;

namespace Callbridge.Audio.Opus;

/// <summary>
/// Opus encoder over libopus (Debian libopus0). One instance per outgoing stream; not thread-safe.
/// Encoding allocates nothing.
/// </summary>
public sealed class OpusEncoder : IDisposable
{
    /// <summary>20 ms at 48 kHz: the frame size WebRTC endpoints use by default (RFC 7587 section 4.2 ptime).</summary>
    public const int FrameSamples48k = 960;

    /// <summary>Largest packet worth producing (RFC 6716 section 3.4 caps a frame at 1275 bytes).</summary>
    public const int MaxPacketBytes = 1275;

    private readonly OpusEncoderHandle _handle;

    public OpusEncoder(int sampleRate = 48000, int channels = 1, OpusApplication application = OpusApplication.Voip)
    {
        NativeLibraries.Ensure(NativeLibraries.Opus, NativeLibraries.OpusPackage);
        _handle = OpusNative.opus_encoder_create(sampleRate, channels, (int)application, out int error);
        if (error != 0 || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException((OpusError)error, "opus_encoder_create");
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Target bitrate in bits per second (OPUS_SET_BITRATE); -1000 is OPUS_AUTO.</summary>
    public int Bitrate
    {
        get => Get(OpusNative.GetBitrateRequest);
        set => Set(OpusNative.SetBitrateRequest, value);
    }

    /// <summary>0 (cheapest) .. 10 (best); libopus defaults to 10 (OPUS_SET_COMPLEXITY).</summary>
    public int Complexity
    {
        set => Set(OpusNative.SetComplexityRequest, value);
    }

    /// <summary>Discontinuous transmission: near-empty packets during silence (OPUS_SET_DTX).</summary>
    public bool Dtx
    {
        set => Set(OpusNative.SetDtxRequest, value ? 1 : 0);
    }

    /// <summary>In-band forward error correction (LBRR in SILK, OPUS_SET_INBAND_FEC).</summary>
    public bool InbandFec
    {
        set => Set(OpusNative.SetInbandFecRequest, value ? 1 : 0);
    }

    /// <summary>Expected loss in percent; FEC is only spent when this is above 0 (OPUS_SET_PACKET_LOSS_PERC).</summary>
    public int PacketLossPercent
    {
        set => Set(OpusNative.SetPacketLossPercRequest, value);
    }

    /// <summary>
    /// Upper limit of the coded audio bandwidth (OPUS_SET_MAX_BANDWIDTH). Input that is band-limited anyway
    /// (G.711 telephone audio) is coded as well at a lower limit, and no bits go to bands that are empty.
    /// </summary>
    public OpusBandwidth MaxBandwidth
    {
        set => Set(OpusNative.SetMaxBandwidthRequest, (int)value);
    }

    /// <summary>Encoder delay in samples at <see cref="SampleRate"/>: the Ogg Opus pre-skip (RFC 7845 section 4.2).</summary>
    public int Lookahead => Get(OpusNative.GetLookaheadRequest);

    /// <summary>Encodes one frame (2.5 to 60 ms of interleaved samples) into <paramref name="packet"/>.</summary>
    public unsafe OpusError TryEncode(ReadOnlySpan<short> pcm, Span<byte> packet, out int written)
    {
        int frameSize = pcm.Length / Channels;
        int result;
        fixed (short* pPcm = pcm)
        fixed (byte* pData = packet)
        {
            result = OpusNative.opus_encode(_handle, pPcm, frameSize, pData, packet.Length);
        }

        written = Math.Max(result, 0);
        return result < 0 ? (OpusError)result : OpusError.Ok;
    }

    /// <summary>Throwing form of <see cref="TryEncode"/>; returns the packet length.</summary>
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> packet)
    {
        OpusError error = TryEncode(pcm, packet, out int written);
        return error == OpusError.Ok ? written : throw new OpusException(error, "opus_encode");
    }

    private void Set(int request, int value)
    {
        int result = OpusNative.opus_encoder_ctl_set(_handle, request, value);
        if (result != 0)
        {
            throw new OpusException((OpusError)result, $"opus_encoder_ctl({request})");
        }
    }

    private int Get(int request)
    {
        int result = OpusNative.opus_encoder_ctl_get(_handle, request, out int value);
        return result == 0 ? value : throw new OpusException((OpusError)result, $"opus_encoder_ctl({request})");
    }

    public void Dispose() => _handle.Dispose();
}
