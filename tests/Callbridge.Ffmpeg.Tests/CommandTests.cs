namespace Callbridge.Ffmpeg.Tests;

/// <summary>The argument lists and parsers, without running anything.</summary>
public sealed class CommandTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(3, 2, 2)]
    [InlineData(4, 2, 2)]
    [InlineData(5, 3, 2)]
    [InlineData(9, 3, 3)]
    public void Grid_is_as_square_as_fits_and_tiles_do_not_overlap(int count, int columns, int rows)
    {
        IReadOnlyList<GridTile> tiles = GridLayout.Tiles(count, 1280, 720);
        Assert.Equal(count, tiles.Count);
        Assert.Equal(columns, tiles.Select(t => t.X).Distinct().Count());
        Assert.Equal(rows, tiles.Select(t => t.Y).Distinct().Count());
        Assert.All(tiles, t => Assert.True(t.Width % 2 == 0 && t.Height % 2 == 0 && t.X + t.Width <= 1280 && t.Y + t.Height <= 720));
        Assert.Equal(count, tiles.Distinct().Count());
    }

    [Fact]
    public void Composite_arguments_offset_each_input_and_map_both_outputs()
    {
        var args = FfmpegRunner.CompositeArguments(new CompositeRequest(
            [new TimedInput("a.webm", TimeSpan.FromMilliseconds(1500))], [new TimedInput("v.webm", TimeSpan.FromSeconds(2))],
            TimeSpan.FromSeconds(10), "out.webm"));
        Assert.Equal(["-itsoffset", "1.500", "-i", "a.webm", "-itsoffset", "2.000", "-i", "v.webm"], args.Skip(5).Take(8));
        Assert.Contains("[vout]", args);
        Assert.Contains("[aout]", args);
        Assert.Equal(["-t", "10.000", "out.webm"], args.TakeLast(3));
    }

    [Fact]
    public void Audio_only_composite_has_no_canvas_and_no_video_encoder()
    {
        var args = FfmpegRunner.CompositeArguments(new CompositeRequest([new TimedInput("a.webm", TimeSpan.Zero)], [], TimeSpan.FromSeconds(1), "out.webm"));
        Assert.DoesNotContain("libvpx", args);
        Assert.DoesNotContain(args, a => a.StartsWith("color=", StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_requests_are_refused()
    {
        Assert.Throws<ArgumentException>(() => FfmpegRunner.CompositeArguments(new CompositeRequest([], [], TimeSpan.FromSeconds(1), "o.webm")));
        Assert.Throws<ArgumentException>(() => FfmpegRunner.RemuxArguments(new RemuxRequest([], "o.webm")));
    }

    [Fact]
    public void Probe_parser_reads_ffprobe_json()
    {
        const string json = """
            {"streams":[{"index":0,"codec_name":"vp8","codec_type":"video","width":640,"height":480,"start_time":"1.250000","duration":"N/A"}],
             "format":{"format_name":"matroska,webm","start_time":"1.250000","duration":"9.5"}}
            """;
        MediaProbe probe = FfprobeRunner.Parse(json)!;
        Assert.Equal("matroska,webm", probe.FormatName);
        Assert.Equal(TimeSpan.FromSeconds(9.5), probe.Duration);
        MediaStreamInfo v = Assert.Single(probe.Video);
        Assert.Equal((640, 480, TimeSpan.FromSeconds(1.25), (TimeSpan?)null), (v.Width!.Value, v.Height!.Value, v.StartTime!.Value, v.Duration));
    }

    [Fact]
    public void Probe_parser_returns_null_and_never_throws_on_mangled_output()
    {
        const string seed = """{"streams":[{"index":0,"codec_type":"audio","sample_rate":"48000","channels":2,"duration":"3.1"}],"format":{"format_name":"ogg","duration":"3.1"}}""";
        var random = new Random(5);
        int parsed = 0;
        for (int i = 0; i < 100_000; i++)
        {
            char[] text = seed.ToCharArray();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++) text[random.Next(text.Length)] = (char)random.Next(32, 127);
            string mangled = new string(text)[..random.Next(text.Length + 1)];
            if (FfprobeRunner.Parse(mangled) is not null) parsed++;
        }
        // Some mutations keep valid JSON (a changed digit); most do not. Neither kind may throw.
        Assert.InRange(parsed, 1, 99_999);
    }
}
