using Callbridge.Audio.Native;

namespace Callbridge.Audio.Opus;

/// <summary>
/// Opus decoder over libopus (Debian libopus0), with packet-loss concealment and in-band FEC recovery.
/// One instance per incoming stream; not thread-safe. Decoding allocates nothing.
/// </summary>
public sealed class OpusDecoder : IDisposable
{
    private readonly OpusDecoderHandle _handle;

    public OpusDecoder(int sampleRate = 48000, int channels = 1)
    {
        NativeLibraries.Ensure(NativeLibraries.Opus, NativeLibraries.OpusPackage);
        _handle = OpusNative.opus_decoder_create(sampleRate, channels, out int error);
        if (error != 0 || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new OpusException((OpusError)error, "opus_decoder_create");
        }

        SampleRate = sampleRate;
        Channels = channels;
    }

    public int SampleRate { get; }

    public int Channels { get; }

    /// <summary>Duration of the last decoded packet in samples per channel (OPUS_GET_LAST_PACKET_DURATION).</summary>
    public int LastPacketDuration
    {
        get
        {
            int result = OpusNative.opus_decoder_ctl_get(_handle, OpusNative.GetLastPacketDurationRequest, out int value);
            return result == 0 ? value : throw new OpusException((OpusError)result, "opus_decoder_ctl");
        }
    }

    /// <summary>
    /// Decodes <paramref name="packet"/> into <paramref name="pcm"/> (interleaved); <paramref name="samplesPerChannel"/>
    /// is what was produced. An empty packet asks for concealment (PLC) of one lost frame of
    /// pcm.Length / channels samples. With <paramref name="decodeFec"/>, <paramref name="packet"/> is the
    /// packet after a lost one and the lost frame is rebuilt from its FEC data (RFC 6716 section 2.1.7).
    /// </summary>
    public unsafe OpusError TryDecode(ReadOnlySpan<byte> packet, Span<short> pcm, out int samplesPerChannel, bool decodeFec = false)
    {
        int frameSize = pcm.Length / Channels;
        int result;
        fixed (byte* pData = packet)
        fixed (short* pPcm = pcm)
        {
            result = OpusNative.opus_decode(_handle, packet.IsEmpty ? null : pData, packet.Length, pPcm, frameSize, decodeFec ? 1 : 0);
        }

        samplesPerChannel = Math.Max(result, 0);
        return result < 0 ? (OpusError)result : OpusError.Ok;
    }

    /// <summary>Throwing form of <see cref="TryDecode"/>; returns samples per channel.</summary>
    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, bool decodeFec = false)
    {
        OpusError error = TryDecode(packet, pcm, out int samples, decodeFec);
        return error == OpusError.Ok ? samples : throw new OpusException(error, "opus_decode");
    }

    /// <summary>Samples per channel a packet holds at <paramref name="sampleRate"/>, or a negative OpusError value.</summary>
    public static unsafe int GetSampleCount(ReadOnlySpan<byte> packet, int sampleRate)
    {
        fixed (byte* p = packet)
        {
            return OpusNative.opus_packet_get_nb_samples(p, packet.Length, sampleRate);
        }
    }

    public void Dispose() => _handle.Dispose();
}
