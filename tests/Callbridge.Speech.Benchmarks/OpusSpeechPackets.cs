using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;

namespace Callbridge.Speech.Benchmarks;

/// <summary>
/// The benchmarks' received audio: three flite sentences upsampled to 48 kHz and encoded as a WebRTC
/// sender would (20 ms, VoIP, 32 kbit/s), handed out in a loop, with the decoder and 16 kHz resampler
/// that turn each packet into recognizer input.
/// </summary>
internal sealed class OpusSpeechPackets : IDisposable
{
    public const int FrameSamples = 960;

    private readonly List<byte[]> _packets = [];
    private readonly short[] _pcm48 = new short[FrameSamples];
    private readonly short[] _pcm16 = new short[FrameSamples / 3];
    private int _next;

    public OpusSpeechPackets()
    {
        short[] speech16 = SentenceAudio.Synthesize("slt", count: 3).SelectMany(s => s).ToArray();
        using var up = new SpeexResampler(1, 16000, 48000);
        short[] speech48 = new short[up.GetMaxOutputLength(speech16.Length)];
        int n = up.ProcessAll(speech16, speech48);
        using var encoder = new OpusEncoder(48000, 1) { Bitrate = 32000 };
        byte[] packet = new byte[OpusEncoder.MaxPacketBytes];
        for (int offset = 0; offset + FrameSamples <= n; offset += FrameSamples)
        {
            int len = encoder.Encode(speech48.AsSpan(offset, FrameSamples), packet);
            _packets.Add(packet[..len]);
        }

        Decoder = new OpusDecoder(48000, 1);
        To16k = new SpeexResampler(1, 48000, 16000);
    }

    public OpusDecoder Decoder { get; }

    public SpeexResampler To16k { get; }

    /// <summary>The 48 kHz PCM of the last <see cref="Decode"/>.</summary>
    public Span<short> Pcm48 => _pcm48;

    public byte[] Next()
    {
        byte[] p = _packets[_next];
        _next = (_next + 1) % _packets.Count;
        return p;
    }

    /// <summary>Decodes the next packet into <see cref="Pcm48"/>; returns the samples per channel.</summary>
    public int Decode() => Decoder.Decode(Next(), _pcm48);

    /// <summary>Decodes the next packet and resamples it to 16 kHz, as the captions pipeline does; returns the 16 kHz samples.</summary>
    public int DecodeTo16k()
    {
        int n = Decode();
        To16k.Process(_pcm48.AsSpan(0, n), _pcm16, out _, out int written);
        return written;
    }

    public void Dispose()
    {
        Decoder.Dispose();
        To16k.Dispose();
    }
}
