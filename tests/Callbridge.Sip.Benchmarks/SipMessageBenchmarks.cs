using System.Text;
using BenchmarkDotNet.Attributes;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;
using Callbridge.Sip.Tests;

namespace Callbridge.Sip.Benchmarks;

/// <summary>Parse and serialize a typical INVITE with SDP (about 900 bytes). Baseline: a bare scan of the
/// same buffer for CRLFCRLF, the least any framing must do.</summary>
[MemoryDiagnoser]
public class SipMessageBenchmarks
{
    private byte[] _wire = null!;
    private byte[] _out = null!;
    private SipMessage _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _wire = SampleMessages.InviteBytes;
        _out = new byte[_wire.Length * 2];
        if (SipMessage.TryParse(_wire, true, out var m, out _, out var err) != SipParseStatus.Complete)
            throw new InvalidOperationException(err.ToString());
        _parsed = m!;
    }

    [Benchmark(Baseline = true)]
    public int ScanForEndOfHeaders() => _wire.AsSpan().IndexOf("\r\n\r\n"u8);

    [Benchmark]
    public int Parse()
    {
        SipMessage.TryParse(_wire, true, out var m, out int consumed, out _);
        return consumed + m!.Headers.Count;
    }

    [Benchmark]
    public int Serialize() => _parsed.WriteTo(_out);

    [Benchmark]
    public int ParseAndSerialize()
    {
        SipMessage.TryParse(_wire, true, out var m, out _, out _);
        return m!.WriteTo(_out);
    }

    /// <summary>Parse plus the typed reads a UAS does on every INVITE.</summary>
    [Benchmark]
    public int ParseAndReadTypedHeaders()
    {
        SipMessage.TryParse(_wire, true, out var m, out _, out _);
        return m!.TopVia!.Branch!.Length + m.From!.Tag!.Length + (int)m.CSeq!.Value.Number + m.CallId!.Length;
    }
}
