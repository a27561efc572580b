using System.Buffers.Binary;
using Callbridge.TestSupport;

namespace Callbridge.Matroska.Tests;

/// <summary>Reading a spool back after a crash: times, counts, and where whole clusters end.</summary>
public sealed class WebmSpoolSummaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = TestEnvironment.NewFolder("spool-summary");

    private string WriteOpus(string name, int packets, TimeSpan offset)
    {
        string path = Path.Combine(_folder, name);
        using var writer = WebmTrackWriter.Create(path, new WebmTrack(WebmCodec.Opus, "mic"), Start, durable: false);
        var packet = new byte[60];
        for (int i = 0; i < packets; i++)
        {
            packet[0] = (byte)i;
            Assert.Equal(FrameWriteResult.Written, writer.WriteFrame(packet, offset + TimeSpan.FromMilliseconds(20 * i), keyFrame: true));
        }
        return path;
    }

    [Fact]
    public void A_whole_spool_reports_its_first_and_last_frame_and_every_frame()
    {
        string path = WriteOpus("whole.webm", packets: 250, offset: TimeSpan.FromMilliseconds(1500));
        WebmSpoolSummary summary = WebmSpoolSummary.Read(path)!;
        Assert.Equal(TimeSpan.FromMilliseconds(1500), summary.FirstFrame);
        Assert.Equal(TimeSpan.FromMilliseconds(1500 + 20 * 249), summary.LastFrame);
        Assert.Equal((250L, 250L), (summary.Frames, summary.KeyFrames));
        Assert.Equal(new FileInfo(path).Length, summary.ValidLength);
    }

    [Fact]
    public void A_torn_last_cluster_is_excluded_and_the_valid_length_ends_at_the_cluster_before()
    {
        string path = WriteOpus("torn.webm", packets: 150, offset: TimeSpan.Zero); // 3 s: clusters of 1 s
        byte[] whole = File.ReadAllBytes(path);
        WebmSpoolSummary full = WebmSpoolSummary.Read(path)!;
        File.WriteAllBytes(path, whole[..^100]);
        WebmSpoolSummary torn = WebmSpoolSummary.Read(path)!;
        Assert.Equal(100, torn.Frames);
        Assert.Equal(TimeSpan.FromMilliseconds(1980), torn.LastFrame);
        Assert.True(torn.ValidLength < torn.FileLength);
        // Truncating at the valid length gives a file whose summary is the same and has nothing left over.
        File.WriteAllBytes(path, whole[..(int)torn.ValidLength]);
        WebmSpoolSummary trimmed = WebmSpoolSummary.Read(path)!;
        Assert.Equal((torn.Frames, trimmed.FileLength), (trimmed.Frames, trimmed.ValidLength));
        Assert.Equal(150, full.Frames);
    }

    [Fact]
    public void A_header_only_spool_has_no_frames_and_a_foreign_file_is_refused()
    {
        string empty = Path.Combine(_folder, "empty.webm");
        WebmTrackWriter.Create(empty, new WebmTrack(WebmCodec.Opus, "mic"), Start, durable: false).Dispose();
        WebmSpoolSummary summary = WebmSpoolSummary.Read(empty)!;
        Assert.Equal((null, 0L), (summary.FirstFrame, summary.Frames));
        Assert.Equal(summary.FileLength, summary.ValidLength);

        string foreign = Path.Combine(_folder, "foreign.bin");
        File.WriteAllBytes(foreign, "OggS\0\0\0\0\0\0\0\0"u8.ToArray());
        Assert.Null(WebmSpoolSummary.Read(foreign));
    }

    private static byte[] ClusterBody(int blocks)
    {
        var b = new EbmlBuffer(1024);
        Ebml.WriteUInt(b, MatroskaIds.Timestamp, 4000);
        for (int i = 0; i < blocks; i++)
        {
            Ebml.WriteId(b, MatroskaIds.SimpleBlock);
            Ebml.WriteSize(b, 4 + 10);
            Span<byte> head = b.GetSpan(14);
            head[0] = 0x81;
            BinaryPrimitives.WriteInt16BigEndian(head[1..], (short)(20 * i));
            head[3] = (byte)(i == 0 ? 0x80 : 0);
            head[4..].Fill(7);
            b.Advance(14);
        }
        return b.WrittenSpan.ToArray();
    }

    [Fact]
    public void Cluster_parser_reads_times_and_counts()
    {
        Assert.Equal(SpoolClusterError.None, SpoolCluster.TryParse(ClusterBody(5), out SpoolCluster cluster));
        Assert.Equal(new SpoolCluster(4000, 4080, 5, 1, 50), cluster);
    }

    [Fact]
    public void Cluster_parser_gives_only_typed_errors_on_100000_mutated_inputs()
    {
        byte[] seed = ClusterBody(6);
        var random = new Random(8794);
        var seen = new HashSet<SpoolClusterError>();
        for (int i = 0; i < 100_000; i++)
        {
            byte[] input = seed[..random.Next(seed.Length + 1)];
            int flips = random.Next(0, 4);
            for (int f = 0; f < flips && input.Length > 0; f++) input[random.Next(input.Length)] = (byte)random.Next(256);
            SpoolClusterError error = SpoolCluster.TryParse(input, out SpoolCluster c);
            Assert.True(Enum.IsDefined(error));
            if (error == SpoolClusterError.None) Assert.True(c.Blocks <= 6 && c.KeyBlocks <= c.Blocks);
            seen.Add(error);
        }
        Assert.Contains(SpoolClusterError.None, seen);
        Assert.Contains(SpoolClusterError.Truncated, seen);
    }

    [Fact]
    public void Header_reader_gives_only_typed_errors_on_random_bytes()
    {
        var random = new Random(4);
        Span<byte> input = stackalloc byte[12];
        for (int i = 0; i < 100_000; i++)
        {
            random.NextBytes(input);
            int length = random.Next(13);
            EbmlReadError error = EbmlReader.TryReadHeader(input[..length], out _, out _, out int consumed);
            Assert.True(Enum.IsDefined(error));
            Assert.InRange(consumed, 0, length);
        }
    }

    [Fact]
    public void Spool_reader_survives_mutated_files()
    {
        string path = WriteOpus("seed.webm", packets: 120, offset: TimeSpan.Zero);
        byte[] seed = File.ReadAllBytes(path);
        var random = new Random(9559);
        string mutated = Path.Combine(_folder, "mutated.webm");
        for (int i = 0; i < 300; i++)
        {
            byte[] input = seed[..random.Next(seed.Length + 1)];
            for (int f = 0; f < 3 && input.Length > 0; f++) input[random.Next(input.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(mutated, input);
            WebmSpoolSummary? summary = WebmSpoolSummary.Read(mutated);
            if (summary is not null) Assert.InRange(summary.ValidLength, 0, input.Length);
        }
    }
}
