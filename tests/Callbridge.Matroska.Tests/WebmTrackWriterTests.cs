using System.Globalization;
using System.Text.Json;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.Matroska.Tests;

/// <summary>Files the writer produces, checked by ffprobe and decoded by ffmpeg.</summary>
public sealed class WebmTrackWriterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = TestEnvironment.NewFolder("webm");

    private static WebmTrackWriter WriteAll(string path, WebmTrack track, IEnumerable<EncodedMedia.Frame> frames, TimeSpan shift = default)
    {
        var writer = WebmTrackWriter.Create(path, track, Start, durable: false);
        foreach (var f in frames) Assert.Equal(FrameWriteResult.Written, writer.WriteFrame(f.Data, f.Timestamp + shift, f.KeyFrame));
        return writer;
    }

    [Fact]
    public async Task Vp8_frames_make_a_webm_that_ffprobe_reads_and_ffmpeg_decodes_frame_for_frame()
    {
        var frames = await EncodedMedia.Vp8Async(_folder, seconds: 4);
        Assert.True(Vp8KeyFrameHeader.TryReadSize(frames[0].Data, out int width, out int height));
        Assert.Equal((320, 240), (width, height));
        string path = Path.Combine(_folder, "video.webm");
        WriteAll(path, new WebmTrack(WebmCodec.Vp8, "alice camera", width, height), frames).Dispose();

        FfprobeResult probe = await Ffprobe.ProbeAsync(path);
        FfprobeStream video = Assert.Single(probe.Video);
        Assert.Equal(("vp8", 320, 240), (video.CodecName, video.Width, video.Height));
        // A live spool file has no Duration element (its Segment has an unknown size); the last frame's time tells.
        var pts = await PacketTimesAsync(path);
        Assert.Equal(frames.Count, pts.Count);
        Assert.Equal(frames[^1].Timestamp.TotalSeconds, pts[^1], 0.002);
        Assert.Equal(frames.Count, await DecodedFrameCountAsync(path));
    }

    [Fact]
    public async Task Opus_packets_make_a_webm_whose_audio_decodes_to_the_right_duration()
    {
        var packets = await EncodedMedia.OpusAsync(_folder, seconds: 3);
        string path = Path.Combine(_folder, "audio.webm");
        WriteAll(path, new WebmTrack(WebmCodec.Opus, "alice microphone"), packets).Dispose();

        FfprobeResult probe = await Ffprobe.ProbeAsync(path);
        FfprobeStream audio = Assert.Single(probe.Audio);
        Assert.Equal(("opus", 48000), (audio.CodecName, audio.SampleRate));
        double decoded = await DecodedAudioSecondsAsync(path);
        Assert.InRange(decoded, 2.9, 3.1);
    }

    [Fact]
    public async Task A_gap_stays_a_gap_in_the_timestamps()
    {
        var packets = await EncodedMedia.OpusAsync(_folder, seconds: 2);
        string path = Path.Combine(_folder, "gap.webm");
        using (var writer = WebmTrackWriter.Create(path, new WebmTrack(WebmCodec.Opus, "muted a while"), Start, durable: false))
        {
            foreach (var p in packets.Take(50)) writer.WriteFrame(p.Data, p.Timestamp, true);                         // 0.0 - 1.0 s
            foreach (var p in packets.Skip(50)) writer.WriteFrame(p.Data, p.Timestamp + TimeSpan.FromSeconds(5), true); // 6.0 - 7.0 s
        }
        var pts = await PacketTimesAsync(path);
        Assert.Equal(packets.Count, pts.Count);
        double jump = pts.Zip(pts.Skip(1), (a, b) => b - a).Max();
        Assert.InRange(jump, 5.0, 5.05);
        Assert.InRange(pts[^1], 6.9, 7.0);
    }

    [Fact]
    public async Task A_file_cut_off_mid_cluster_still_plays_everything_before_the_cut()
    {
        var frames = await EncodedMedia.Vp8Async(_folder, seconds: 5, gop: 150);
        Assert.True(Vp8KeyFrameHeader.TryReadSize(frames[0].Data, out int w, out int h));
        string path = Path.Combine(_folder, "crash.webm");
        using (WriteAll(path, new WebmTrack(WebmCodec.Vp8, "cam", w, h), frames))
        {
        }
        byte[] whole = await File.ReadAllBytesAsync(path);

        // As if the process died while writing its last cluster: the last 40 % of the final second is gone.
        string cut = Path.Combine(_folder, "cut.webm");
        await File.WriteAllBytesAsync(cut, whole[..(whole.Length - whole.Length / 12)]);
        var pts = await PacketTimesAsync(cut);
        Assert.True(pts[^1] >= 4.0, $"only {pts[^1]} s survived");
        Assert.True(await DecodedFrameCountAsync(cut) >= 60);
    }

    [Fact]
    public void Out_of_order_and_empty_frames_are_refused_without_harm()
    {
        string path = Path.Combine(_folder, "order.webm");
        using var writer = WebmTrackWriter.Create(path, new WebmTrack(WebmCodec.Opus, "a"), Start, durable: false);
        Assert.Equal(FrameWriteResult.Written, writer.WriteFrame([0xF8, 1, 2], TimeSpan.FromMilliseconds(40), true));
        Assert.Equal(FrameWriteResult.DroppedOutOfOrder, writer.WriteFrame([0xF8, 1, 2], TimeSpan.FromMilliseconds(20), true));
        Assert.Equal(FrameWriteResult.DroppedEmpty, writer.WriteFrame([], TimeSpan.FromMilliseconds(60), true));
        Assert.Equal(1, writer.FramesWritten);
    }

    [Fact]
    public void A_video_track_without_dimensions_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            WebmTrackWriter.Create(Path.Combine(_folder, "x.webm"), new WebmTrack(WebmCodec.Vp8, "v"), Start, durable: false));
        Assert.Contains("width and height", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x11, 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00 }, false)] // delta frame bit set
    [InlineData(new byte[] { 0x10, 0, 0, 0x9d, 0x01, 0x2b, 0x40, 0x01, 0xf0, 0x00 }, false)] // wrong start code
    [InlineData(new byte[] { 0x10, 0, 0, 0x9d, 0x01 }, false)]                             // too short
    [InlineData(new byte[] { 0x10, 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00 }, true)]  // 320 x 240
    public void Vp8_key_frame_size_is_read_only_from_real_key_frames(byte[] frame, bool ok) =>
        Assert.Equal(ok, Vp8KeyFrameHeader.TryReadSize(frame, out _, out _));

    private static async Task<int> DecodedFrameCountAsync(string path)
    {
        var result = await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffprobe, ["-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path], TimeSpan.FromSeconds(60));
        return int.Parse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task<double> DecodedAudioSecondsAsync(string path)
    {
        string raw = path + ".s16";
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-v", "error", "-y", "-i", path, "-f", "s16le", "-ac", "1", "-ar", "48000", raw],
            TimeSpan.FromSeconds(60));
        return new FileInfo(raw).Length / (2.0 * 48000);
    }

    private static async Task<List<double>> PacketTimesAsync(string path)
    {
        var result = await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffprobe, ["-v", "error", "-show_entries", "packet=pts_time", "-of", "json", path],
            TimeSpan.FromSeconds(60));
        using var doc = JsonDocument.Parse(result.StandardOutput);
        return doc.RootElement.GetProperty("packets").EnumerateArray()
            .Select(p => double.Parse(p.GetProperty("pts_time").GetString()!, CultureInfo.InvariantCulture)).ToList();
    }
}
