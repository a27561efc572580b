using System.Buffers.Binary;
using Callbridge.PhoneMedia;
using Callbridge.Rtp;
using Callbridge.TestSupport.Media;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// What the sipp callers play after the PIN, as pcap files of G.711 A-law RTP (20 ms packets) that sipp's
/// play_pcap_audio replays at their capture times: flite speech for the load callers, and for the callers
/// whose delay is measured a 100 ms 1 kHz beep after 1.9 s of digital silence, whose sharp onset is
/// found again on the far side of each bridge stage.
/// </summary>
internal static class CallerAudio
{
    public const int Rate = 8000;
    public const int FrameSamples = 160;
    public const int MarkerPeriodMs = 2000;
    public const int BeepMs = 100;

    /// <summary>A beep sample's amplitude: loud (about -10 dBFS) but far from A-law clipping.</summary>
    public const short BeepAmplitude = 10000;

    public static async Task WriteSpeechPcapAsync(string path, string folder, TimeSpan length)
    {
        string wav = await SpeechSynth.WriteWavAsync(
            "The quarterly numbers look strong and we will ship the release on Friday after the final review.",
            FliteVoice.Awb, SpeechSynth.TelephonyRate, folder, "load-speech.wav").ConfigureAwait(false);
        WavAudio speech = WavAudio.Read(wav);
        if (speech.SampleRate != Rate)
        {
            throw new InvalidOperationException($"flite wrote {speech.SampleRate} Hz, not {Rate}");
        }

        var pcm = new short[(int)(length.TotalSeconds * Rate)];
        int gap = Rate / 2;
        for (int at = 0; at < pcm.Length;)
        {
            for (int i = 0; i < speech.Samples.Length && at < pcm.Length; i++, at++)
            {
                pcm[at] = (short)Math.Clamp(speech.Samples[i] * 32767f, short.MinValue, short.MaxValue);
            }

            at += gap;
        }

        WritePcap(path, pcm);
    }

    public static void WriteMarkerPcap(string path, TimeSpan length)
    {
        var pcm = new short[(int)(length.TotalSeconds * Rate)];
        int period = MarkerPeriodMs * Rate / 1000;
        int beep = BeepMs * Rate / 1000;
        for (int start = period - beep; start < pcm.Length; start += period)
        {
            for (int i = 0; i < beep && start + i < pcm.Length; i++)
            {
                // Starts at the sine's peak so the first sample already crosses the onset threshold.
                pcm[start + i] = (short)(BeepAmplitude * Math.Cos(2 * Math.PI * 1000 * i / Rate));
            }
        }

        WritePcap(path, pcm);
    }

    /// <summary>libpcap file (DLT_EN10MB) of Ethernet/IPv4/UDP/RTP packets, one per 20 ms, payload type 8.</summary>
    private static void WritePcap(string path, short[] pcm)
    {
        const int headers = 14 + 20 + 8;
        int packetLength = headers + RtpPacket.FixedHeaderLength + FrameSamples;
        int frames = pcm.Length / FrameSamples;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> global = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(global, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(global[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(global[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(global[16..], 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(global[20..], 1);
        file.Write(global);

        var record = new byte[16 + packetLength];
        var payload = new byte[FrameSamples];
        for (int n = 0; n < frames; n++)
        {
            long micros = n * 20_000L;
            Span<byte> r = record;
            r.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)(micros / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)(micros % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], (uint)packetLength);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], (uint)packetLength);
            Span<byte> p = r[16..];
            BinaryPrimitives.WriteUInt16BigEndian(p[12..], 0x0800);
            Span<byte> ip = p[14..];
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(packetLength - 14));
            ip[8] = 64;
            ip[9] = 17;
            // 198.18.0.1 -> 198.18.0.1: sipp rewrites the addresses and ports when it replays.
            ip[12] = 198; ip[13] = 18; ip[14] = 0; ip[15] = 1;
            ip[16] = 198; ip[17] = 18; ip[18] = 0; ip[19] = 1;
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip[..20]));
            Span<byte> udp = ip[20..];
            BinaryPrimitives.WriteUInt16BigEndian(udp, 6000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 6000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(packetLength - 34));
            G711.Encode(PhoneCodec.Pcma, pcm.AsSpan(n * FrameSamples, FrameSamples), payload);
            var rtp = new RtpPacket
            {
                Marker = n == 0,
                PayloadType = 8,
                SequenceNumber = (ushort)n,
                Timestamp = (uint)(n * FrameSamples),
                Ssrc = 0x5eed0001,
                Payload = payload,
            };
            rtp.WriteTo(udp[8..]);
            file.Write(record);
        }
    }

    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
