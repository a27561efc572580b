using System.Text.Json;
using Callbridge.Media;
using Callbridge.Rtcp;
using Callbridge.Rtp;

namespace Callbridge.Media.Tests;

/// <summary>
/// Real RTP from ffmpeg's RTP muxer over loopback (run inside `unshare -n`), through the whole receive
/// path: RTP parse, receive statistics, jitter buffer, depacketizer; then the frames are decoded by
/// real decoders (ffmpeg for VP8 via IVF, libopus for Opus) and ffmpeg's RTCP SR aligns RTP to wall clock.
/// </summary>
public class FfmpegRtpTests
{
    private sealed record Received(List<(uint Timestamp, byte[] Frame, FrameFlags Flags)> Frames, uint Ssrc, ReceiveStatistics Statistics, JitterBufferStatistics Jitter, uint FirstTimestamp, DateTimeOffset FirstArrival);

    private static Received Depacketize(RtpCapture capture, int clockRate, Func<RtpPacket, (DepacketizeResult, byte[]?, FrameInfo)> push)
    {
        var time = TimeProvider.System;
        using var jitter = new JitterBuffer(new JitterBufferOptions(), time);
        var frames = new List<(uint, byte[], FrameFlags)>();
        ReceiveStatistics? stats = null;
        uint ssrc = 0;
        uint firstTimestamp = 0;
        DateTimeOffset firstArrival = default;
        foreach (var (data, arrival) in capture.RtpPackets)
        {
            Assert.Equal(RtpParseError.None, RtpPacket.TryParse(data, out var packet, out _));
            ssrc = packet.Ssrc;
            if (stats is null)
            {
                stats = new ReceiveStatistics(packet.Ssrc, clockRate, time);
                firstTimestamp = packet.Timestamp;
                firstArrival = arrival;
            }

            stats.OnPacket(packet.SequenceNumber, packet.Timestamp);
            Assert.Equal(JitterInsertResult.Inserted, jitter.Insert(data));
            while (jitter.TryRelease(out var released))
            {
                Assert.Equal(RtpParseError.None, RtpPacket.TryParse(released.Data, out var ordered, out _));
                var (result, frame, info) = push(ordered);
                Assert.True(result is DepacketizeResult.Frame or DepacketizeResult.Pending, $"unexpected {result}");
                if (result == DepacketizeResult.Frame)
                {
                    frames.Add((info.RtpTimestamp, frame!, info.Flags));
                }
            }
        }

        Assert.NotNull(stats);
        return new Received(frames, ssrc, stats, jitter.Statistics, firstTimestamp, firstArrival);
    }

    private static void AssertSenderReportAlignsClock(RtpCapture capture, Received received, int clockRate)
    {
        // ffmpeg sends SR + SDES (CNAME, with -cname) first, and with send_bye SR + SDES + BYE when it stops (RFC 3550 §6.1 compounds).
        Assert.NotEmpty(capture.RtcpPackets);
        var map = new SenderClockMap(clockRate);
        ulong lastNtp = 0;
        uint lastRtp = 0;
        int reports = 0;
        bool sawCname = false;
        bool sawBye = false;
        foreach (var datagram in capture.RtcpPackets)
        {
            var e = new RtcpCompoundEnumerator(datagram);
            while (e.MoveNext())
            {
                switch (e.CurrentKind)
                {
                    case RtcpPacketKind.SenderReport:
                        Assert.Equal(RtcpError.None, SenderReport.TryParse(e.CurrentPacket, out var sr, out _));
                        Assert.Equal(received.Ssrc, sr.Ssrc);
                        if (!map.IsSynchronized)
                        {
                            map.Update(sr.NtpTimestamp, sr.RtpTimestamp);
                        }

                        lastNtp = sr.NtpTimestamp;
                        lastRtp = sr.RtpTimestamp;
                        reports++;

                        received.Statistics.OnSenderReport(sr.NtpTimestamp);
                        break;
                    case RtcpPacketKind.SourceDescription:
                        Assert.Equal(RtcpError.None, SourceDescription.TryParse(e.CurrentPacket, out var sdes, out _));
                        var chunks = sdes.GetChunks();
                        Assert.True(chunks.MoveNext());
                        Assert.Equal(received.Ssrc, chunks.Current.Ssrc);
                        sawCname |= chunks.Current.TryGetItem(SdesItemType.CName, out var cname) && cname.SequenceEqual("callbridge-test"u8);
                        break;
                    case RtcpPacketKind.Goodbye:
                        Assert.Equal(RtcpError.None, Goodbye.TryParse(e.CurrentPacket, out var bye, out _));
                        Assert.Equal(received.Ssrc, bye.GetSsrc(0));
                        sawBye = true;
                        break;
                }
            }

            Assert.Equal(RtcpError.None, e.Error);
        }

        Assert.True(sawCname);
        Assert.True(sawBye);
        // The first SR goes out just before the first RTP packet: mapping that packet's timestamp through it
        // gives the moment it was sent, on this same host's clock. The margin covers scheduling delay of
        // the receive loop on a loaded machine; a wrong era, unit or sign would be off by hours.
        Assert.True(map.TryGetWallClock(received.FirstTimestamp, out var sentAt));
        Assert.InRange((received.FirstArrival - sentAt).TotalMilliseconds, -2000, 2000);
        // The last SR (with the BYE) must sit on the same NTP/RTP line as the first: map its RTP timestamp.
        Assert.True(reports >= 2);
        Assert.True(map.TryGetNtp(lastRtp, out ulong mappedNtp));
        Assert.InRange((NtpTime.ToDateTimeOffset(mappedNtp) - NtpTime.ToDateTimeOffset(lastNtp)).TotalMilliseconds, -1, 1);

        var block = received.Statistics.CreateReportBlock();
        Assert.Equal(0, block.CumulativeLost);
        Assert.Equal(0, block.FractionLost);
        Assert.NotEqual(0u, block.LastSenderReport);
    }

    [Fact]
    public async Task Vp8FromFfmpegDepacketizesIntoFramesThatFfmpegDecodes()
    {
        using var capture = RtpCapture.Open();
        await capture.RunFfmpegAsync(
            ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30", "-t", "3",
             "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "600k", "-g", "30", "-auto-alt-ref", "0",
             "-f", "rtp", "-rtpflags", "send_bye", "-cname", "callbridge-test", "-payload_type", "96"],
            TimeSpan.FromSeconds(30));

        using var depacketizer = new Vp8Depacketizer();
        var received = Depacketize(capture, Vp8Packetizer.ClockRate, packet =>
        {
            var result = depacketizer.Push(packet);
            return (result, result == DepacketizeResult.Frame ? depacketizer.Frame.ToArray() : null, depacketizer.LastFrame);
        });

        Assert.Equal(0, received.Jitter.Lost);
        Assert.Equal(90, received.Frames.Count);
        Assert.Equal(0, depacketizer.FramesDropped);
        Assert.False(depacketizer.NeedKeyFrame);
        Assert.True(received.Frames[0].Flags.HasFlag(FrameFlags.KeyFrame));
        Assert.Equal(3, received.Frames.Count(f => f.Flags.HasFlag(FrameFlags.KeyFrame)));
        foreach (var (_, frame, flags) in received.Frames)
        {
            // RFC 6386 §9.1: key frames carry the start code 9d 01 2a and the size after the 3-byte tag.
            bool startCode = frame.Length > 10 && frame[3] == 0x9D && frame[4] == 0x01 && frame[5] == 0x2A;
            Assert.Equal(flags.HasFlag(FrameFlags.KeyFrame), startCode);
            if (startCode)
            {
                Assert.Equal(320, (frame[6] | frame[7] << 8) & 0x3FFF);
                Assert.Equal(240, (frame[8] | frame[9] << 8) & 0x3FFF);
            }
        }

        // 30 fps at 90 kHz: 3000 ticks per frame.
        Assert.All(received.Frames.Zip(received.Frames.Skip(1)), pair => Assert.Equal(3000u, pair.Second.Timestamp - pair.First.Timestamp));

        string dir = Directory.CreateTempSubdirectory("cb-vp8-").FullName;
        try
        {
            string ivf = Path.Combine(dir, "track.ivf");
            IvfWriter.Write(ivf, 320, 240, received.Frames.Select(f => (f.Timestamp, f.Frame)).ToList());
            var probe = await Tools.RunAsync("ffprobe", "ffmpeg", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "json", ivf);
            Assert.True(probe.ExitCode == 0, probe.Error);
            Assert.Equal(string.Empty, probe.Error);
            using var json = JsonDocument.Parse(probe.Output);
            var stream = json.RootElement.GetProperty("streams")[0];
            Assert.Equal("vp8", stream.GetProperty("codec_name").GetString());
            Assert.Equal(320, stream.GetProperty("width").GetInt32());
            Assert.Equal(240, stream.GetProperty("height").GetInt32());
            Assert.Equal("90", stream.GetProperty("nb_read_frames").GetString());

            var decode = await Tools.RunAsync("ffmpeg", "ffmpeg", "-v", "error", "-xerror", "-i", ivf, "-f", "null", "-");
            Assert.True(decode.ExitCode == 0, decode.Error);
            Assert.Equal(string.Empty, decode.Error);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        AssertSenderReportAlignsClock(capture, received, Vp8Packetizer.ClockRate);
    }

    [Fact]
    public async Task OpusFromFfmpegDepacketizesIntoFramesThatLibopusDecodes()
    {
        using var capture = RtpCapture.Open();
        await capture.RunFfmpegAsync(
            ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
             "-c:a", "libopus", "-b:a", "48k", "-frame_duration", "20", "-f", "rtp", "-rtpflags", "send_bye", "-cname", "callbridge-test", "-payload_type", "111"],
            TimeSpan.FromSeconds(30));

        var opus = new OpusDepacketizer();
        var buffer = new byte[1500];
        var received = Depacketize(capture, OpusPacketizer.ClockRate, packet =>
        {
            var result = opus.Depacketize(packet, buffer, out var info);
            return (result, result == DepacketizeResult.Frame ? buffer[..info.Length] : null, info);
        });

        // 2 s of 20 ms frames.
        Assert.InRange(received.Frames.Count, 99, 101);
        Assert.All(received.Frames, f => Assert.Equal(960, OpusToc.GetSampleCount(f.Frame)));
        Assert.All(received.Frames, f => Assert.False(f.Flags.HasFlag(FrameFlags.AfterLoss)));
        Assert.All(received.Frames.Zip(received.Frames.Skip(1)), pair => Assert.Equal(960u, pair.Second.Timestamp - pair.First.Timestamp));

        var pcm = LibOpus.DecodeAll(received.Frames.Select(f => f.Frame));
        Assert.Equal(received.Frames.Count * 960, pcm.Length);
        // Skip the codec's start-up, then check level and pitch (zero crossings: 2 per period).
        var steady = pcm.AsSpan(4800, 48000);
        double rms = Math.Sqrt(steady.ToArray().Average(s => (double)s * s));
        Assert.InRange(rms, 1000, 20000);
        int crossings = 0;
        for (int i = 1; i < steady.Length; i++)
        {
            if ((steady[i - 1] < 0) != (steady[i] < 0))
            {
                crossings++;
            }
        }

        Assert.InRange(crossings / 2.0, 430, 450);

        AssertSenderReportAlignsClock(capture, received, OpusPacketizer.ClockRate);
    }
}
