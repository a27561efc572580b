using Callbridge.Audio.Native;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;

namespace Callbridge.Audio.Tests;

public class OpusTests
{
    internal const string Sentence = "Callbridge joins the conference and records every participant clearly.";

    internal static short[] Speech48k(TempDir dir)
    {
        short[] speech16k = Signals.FliteSpeech(dir, Sentence, 16000);
        using var up = new SpeexResampler(1, 16000, 48000);
        short[] output = new short[up.GetMaxOutputLength(speech16k.Length)];
        int n = up.ProcessAll(speech16k, output);
        return output[..n];
    }

    internal static List<byte[]> EncodeAll(OpusEncoder encoder, short[] pcm)
    {
        var packets = new List<byte[]>();
        byte[] packet = new byte[OpusEncoder.MaxPacketBytes];
        short[] frame = new short[OpusEncoder.FrameSamples48k];
        for (int offset = 0; offset < pcm.Length; offset += frame.Length)
        {
            Array.Clear(frame);
            pcm.AsSpan(offset, Math.Min(frame.Length, pcm.Length - offset)).CopyTo(frame);
            int length = encoder.Encode(frame, packet);
            packets.Add(packet[..length]);
        }

        return packets;
    }

    [Theory]
    [InlineData(OpusBandwidth.Narrowband, 0, 3)]
    [InlineData(OpusBandwidth.Wideband, 8, 11)]
    public void MaxBandwidthLimitsTheCodedBandwidth(OpusBandwidth limit, int firstConfig, int lastConfig)
    {
        using var dir = new TempDir();
        short[] source = Speech48k(dir);
        using var encoder = new OpusEncoder(48000, 1, OpusApplication.Voip) { Bitrate = 24000, MaxBandwidth = limit };

        List<byte[]> packets = EncodeAll(encoder, source);

        // RFC 6716 §3.1: the TOC's top five bits are the configuration; 0-3 SILK NB, 8-11 SILK WB.
        Assert.All(packets.Skip(5), p => Assert.InRange(p[0] >> 3, firstConfig, lastConfig));
    }

    [Fact]
    public void SpeechRoundTripKeepsTheEnergyEnvelope()
    {
        using var dir = new TempDir();
        short[] source = Speech48k(dir);
        using var encoder = new OpusEncoder(48000, 1, OpusApplication.Voip) { Bitrate = 24000, Complexity = 5 };
        using var decoder = new OpusDecoder(48000, 1);
        int lookahead = encoder.Lookahead;
        Assert.InRange(lookahead, 1, 960);
        Assert.Equal(24000, encoder.Bitrate);

        var decoded = new List<short>();
        short[] pcm = new short[5760];
        foreach (byte[] packet in EncodeAll(encoder, source))
        {
            int n = decoder.Decode(packet, pcm);
            Assert.Equal(960, n);
            decoded.AddRange(pcm.AsSpan(0, n).ToArray());
        }

        // The decoder output lags the input by the encoder lookahead.
        short[] aligned = decoded.Skip(lookahead).Take(source.Length).ToArray();
        double[] a = Signals.Envelope(source.AsSpan(0, aligned.Length), 960);
        double[] b = Signals.Envelope(aligned, 960);
        double correlation = Signals.Correlation(a, b);
        Assert.True(correlation >= 0.9, $"envelope correlation {correlation:0.000}");
        double energyRatio = Levels.AudioLevel.Rms(aligned) / Levels.AudioLevel.Rms(source.AsSpan(0, aligned.Length));
        Assert.InRange(energyRatio, 0.7, 1.3);
    }

    [Fact]
    public void LostPacketsAreConcealedOrRecoveredFromFec()
    {
        using var dir = new TempDir();
        short[] source = Speech48k(dir);
        using var encoder = new OpusEncoder(48000, 1) { Bitrate = 32000, InbandFec = true, PacketLossPercent = 20, Dtx = false };
        List<byte[]> packets = EncodeAll(encoder, source);
        using var decoder = new OpusDecoder(48000, 1);
        short[] pcm = new short[960];
        int concealed = 0, recovered = 0;
        for (int i = 0; i < packets.Count; i++)
        {
            if (i % 10 == 5)
            {
                // Lost: rebuild from the next packet's FEC when we have it, else conceal.
                OpusError error = i + 1 < packets.Count
                    ? decoder.TryDecode(packets[i + 1], pcm, out int n, decodeFec: true)
                    : decoder.TryDecode(ReadOnlySpan<byte>.Empty, pcm, out n);
                Assert.Equal(OpusError.Ok, error);
                Assert.Equal(960, n);
                recovered++;
                continue;
            }

            Assert.Equal(960, decoder.Decode(packets[i], pcm));
        }

        Assert.Equal(OpusError.Ok, decoder.TryDecode(ReadOnlySpan<byte>.Empty, pcm, out int plc));
        Assert.Equal(960, plc);
        concealed++;
        Assert.True(recovered > 3 && concealed == 1);
    }

    [Fact]
    public void CorruptPacketsGiveTypedErrors()
    {
        using var decoder = new OpusDecoder(48000, 1);
        short[] pcm = new short[960];
        // TOC code 3 with a frame count of 0 is invalid (RFC 6716 section 3.2.5).
        Assert.Equal(OpusError.InvalidPacket, decoder.TryDecode([0x03, 0x00], pcm, out int n));
        Assert.Equal(0, n);
        // A 60 ms packet does not fit a 20 ms buffer.
        using var encoder = new OpusEncoder(48000, 1);
        byte[] packet = new byte[1275];
        int len = encoder.Encode(new short[2880], packet);
        Assert.Equal(OpusError.BufferTooSmall, decoder.TryDecode(packet.AsSpan(0, len), pcm, out _));
        Assert.Equal(OpusError.BadArgument, encoder.TryEncode(new short[1000], packet, out _));
        var ex = Assert.Throws<OpusException>(() => encoder.Complexity = 42);
        Assert.Equal(OpusError.BadArgument, ex.Error);
    }

    [Fact]
    public void EncodingAndDecodingAllocateNothing()
    {
        using var encoder = new OpusEncoder(48000, 1);
        using var decoder = new OpusDecoder(48000, 1);
        short[] frame = Signals.Sine(440, 48000, 960);
        byte[] packet = new byte[1275];
        short[] pcm = new short[960];
        decoder.Decode(packet.AsSpan(0, encoder.Encode(frame, packet)), pcm);
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                int len = encoder.Encode(frame, packet);
                decoder.Decode(packet.AsSpan(0, len), pcm);
            }
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void MissingLibraryNamesTheDebianPackage()
    {
        var ex = Assert.Throws<NativeLibraryMissingException>(() => NativeLibraries.Ensure("libcallbridge-absent.so.7", "callbridge-absent1"));
        Assert.Equal("callbridge-absent1", ex.DebianPackage);
        Assert.Contains("callbridge-absent1", ex.Message, StringComparison.Ordinal);
        // The real ones are present here.
        NativeLibraries.Ensure(NativeLibraries.Opus, NativeLibraries.OpusPackage);
        NativeLibraries.Ensure(NativeLibraries.SpeexDsp, NativeLibraries.SpeexDspPackage);
    }
}
