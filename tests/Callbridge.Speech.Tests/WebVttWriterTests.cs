using Callbridge.Speech.Captions;

namespace Callbridge.Speech.Tests;

public class WebVttWriterTests
{
    [Fact]
    public void WritesCuesWithTimestampsVoicesAndEscaping()
    {
        var text = new StringWriter();
        var vtt = new WebVttWriter(text);
        vtt.WriteCue(TimeSpan.FromMilliseconds(1234), TimeSpan.FromSeconds(3725.5), "fish & chips <b>", "Alice");
        vtt.WriteCue(TimeSpan.Zero, TimeSpan.FromSeconds(1), "line one\nline two");
        Assert.Equal(
            "WEBVTT\n\n1\n00:00:01.234 --> 01:02:05.500\n<v Alice>fish &amp; chips &lt;b&gt;\n\n2\n00:00:00.000 --> 00:00:01.000\nline one line two\n\n",
            text.ToString());
        Assert.Equal(2, vtt.CueCount);
        Assert.Throws<ArgumentException>(() => vtt.WriteCue(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), "x"));
    }

    [Fact]
    public void FfmpegReadsOurWebVtt()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cb-{Guid.NewGuid():N}.vtt");
        try
        {
            using (var file = new StreamWriter(path))
            {
                var vtt = new WebVttWriter(file);
                vtt.WriteCue(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2.25), "hello from the bridge", "Bob");
                vtt.WriteCue(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), "second & last");
            }

            ExternalTool.Result ffmpeg = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-i", path, "-f", "srt", "-");
            Assert.True(ffmpeg.ExitCode == 0, ffmpeg.Stderr);
            Assert.Contains("00:00:00,500 --> 00:00:02,250", ffmpeg.StdoutText, StringComparison.Ordinal);
            Assert.Contains("hello from the bridge", ffmpeg.StdoutText, StringComparison.Ordinal);
            Assert.Contains("00:00:03,000 --> 00:00:04,000", ffmpeg.StdoutText, StringComparison.Ordinal);
            Assert.Contains("second", ffmpeg.StdoutText, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
