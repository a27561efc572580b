using System.Globalization;
using System.Text;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;
using Callbridge.Sip.Tests;

namespace Callbridge.Sip.Benchmarks;

/// <summary>
/// SIP messages per second per core, from the CPU time of one thread running a tight loop over a set of real
/// messages (INVITE with SDP, 200 OK with SDP, ACK, BYE, REGISTER with digest credentials, two RFC 4475
/// torture INVITEs). The baseline in the same run is a CRLFCRLF scan of the same bytes. Five rounds of 0.2
/// CPU seconds each after a warm-up; the median round is reported with the spread.
/// <c>dotnet tests/Callbridge.Sip.Benchmarks/bin/Release/net10.0/Callbridge.Sip.Benchmarks.dll --throughput</c>
/// </summary>
internal static class Throughput
{
    private const string Dialog =
        "From: \"Conference Bridge\" <sip:bridge@gw.example.com>;tag=1928301774\r\n" +
        "To: <sip:+15551230000@trunk.example.com;user=phone>;tag=a6c85cf\r\n" +
        "Call-ID: a84b4c76e66710@gw.example.com\r\n";

    public static int Run()
    {
        var messages = new List<(string Name, byte[] Wire)>
        {
            ("INVITE+SDP", Ascii(SampleMessages.Invite)),
            ("200 OK+SDP", Ascii(
                "SIP/2.0 200 OK\r\n" +
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060;received=192.0.2.10\r\n" +
                "Record-Route: <sip:edge.example.com;lr>\r\n" +
                Dialog +
                "CSeq: 314159 INVITE\r\n" +
                "Contact: <sip:+15551230000@198.51.100.7:5060>\r\n" +
                "Content-Type: application/sdp\r\n" +
                "Content-Length: " + SampleMessages.Sdp.Length.ToString(CultureInfo.InvariantCulture) + "\r\n\r\n" + SampleMessages.Sdp)),
            ("ACK", Ascii(
                "ACK sip:+15551230000@198.51.100.7:5060 SIP/2.0\r\n" +
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhdt;rport\r\n" +
                "Route: <sip:edge.example.com;lr>\r\n" +
                "Max-Forwards: 70\r\n" + Dialog +
                "CSeq: 314159 ACK\r\nContent-Length: 0\r\n\r\n")),
            ("BYE", Ascii(
                "BYE sip:+15551230000@198.51.100.7:5060 SIP/2.0\r\n" +
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhdu;rport\r\n" +
                "Route: <sip:edge.example.com;lr>\r\n" +
                "Max-Forwards: 70\r\n" + Dialog +
                "CSeq: 314160 BYE\r\n" +
                "Reason: Q.850;cause=16;text=\"Normal call clearing\"\r\nContent-Length: 0\r\n\r\n")),
            ("REGISTER+digest", Ascii(
                "REGISTER sip:trunk.example.com SIP/2.0\r\n" +
                "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds7;rport\r\n" +
                "Max-Forwards: 70\r\n" +
                "To: <sip:bridge@trunk.example.com>\r\n" +
                "From: <sip:bridge@trunk.example.com>;tag=456248\r\n" +
                "Call-ID: 843817637684230@gw.example.com\r\n" +
                "CSeq: 1827 REGISTER\r\n" +
                "Contact: <sip:bridge@192.0.2.10:5060>\r\n" +
                "Authorization: Digest username=\"bridge\", realm=\"trunk.example.com\", nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", " +
                "uri=\"sip:trunk.example.com\", response=\"dfe56131d1958046689d83306477ecc\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"0a4f113b\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"\r\n" +
                "Expires: 3600\r\nContent-Length: 0\r\n\r\n")),
        };
        foreach (string name in new[] { "wsinv", "intmeth" })
        {
            messages.Add(("RFC 4475 " + name, Torture(name)));
        }

        var parsed = new SipMessage[messages.Count];
        int largest = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            if (SipMessage.TryParse(messages[i].Wire, true, out var m, out _, out var error) != SipParseStatus.Complete || m is null)
            {
                throw new InvalidOperationException($"{messages[i].Name} does not parse: {error}");
            }

            parsed[i] = m;
            largest = Math.Max(largest, m.GetSerializedLength());
        }

        var output = new byte[largest * 2];
        byte[][] wires = [.. messages.Select(m => m.Wire)];
        var operations = new (string Name, Func<int, int> Op)[]
        {
            ("scan for CRLFCRLF (baseline)", i => wires[i].AsSpan().IndexOf("\r\n\r\n"u8)),
            ("parse", i => { SipMessage.TryParse(wires[i], true, out var m, out int c, out _); return c + m!.Headers.Count; }),
            ("serialize", i => parsed[i].WriteTo(output)),
            ("parse + serialize", i => { SipMessage.TryParse(wires[i], true, out var m, out _, out _); return m!.WriteTo(output); }),
        };

        Console.WriteLine($"SIP messages per second per core (CPU time of one thread), {messages.Count} messages of {wires.Min(w => w.Length)}-{wires.Max(w => w.Length)} bytes; load average {File.ReadAllText("/proc/loadavg")[..14]}");
        Console.WriteLine("| operation | message | messages/s per core (median of 5) | spread (min-max) | ratio to baseline |");
        Console.WriteLine("|---|---|---|---|---|");
        var baseline = new double[messages.Count + 1];
        foreach (var (opName, op) in operations)
        {
            // Per message only for the baseline and parse + serialize; every operation over the whole mix.
            bool perMessage = opName.EndsWith("(baseline)", StringComparison.Ordinal) || opName == "parse + serialize";
            for (int i = perMessage ? 0 : messages.Count; i <= messages.Count; i++)
            {
                int[] which = i == messages.Count ? [.. Enumerable.Range(0, messages.Count)] : [i];
                var (median, min, max) = Measure(op, which);
                if (opName.EndsWith("(baseline)", StringComparison.Ordinal))
                {
                    baseline[i] = median;
                }

                string name = i == messages.Count ? "all (mix)" : messages[i].Name;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {opName} | {name} | {median:N0} | {min:N0}-{max:N0} | {median / baseline[i]:F4} |"));
            }
        }

        return 0;
    }

    private static (double Median, double Min, double Max) Measure(Func<int, int> op, int[] which)
    {
        int sink = 0;
        // Warm-up: long enough for tiered compilation to reach optimized code.
        double start = ThreadCpu.Seconds();
        long n = 0;
        while (ThreadCpu.Seconds() - start < 0.2)
        {
            for (int k = 0; k < 100; k++, n++)
            {
                sink += op(which[n % which.Length]);
            }
        }

        var rates = new double[5];
        for (int round = 0; round < rates.Length; round++)
        {
            long count = 0;
            double t0 = ThreadCpu.Seconds(), t;
            do
            {
                for (int k = 0; k < 1000; k++, count++)
                {
                    sink += op(which[count % which.Length]);
                }

                t = ThreadCpu.Seconds() - t0;
            }
            while (t < 0.2);
            rates[round] = count / t;
        }

        GC.KeepAlive(sink);
        Array.Sort(rates);
        return (rates[2], rates[0], rates[^1]);
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    /// <summary>An RFC 4475 message from the shared vectors folder, stored with LF line ends: widened to CRLF.</summary>
    private static byte[] Torture(string name)
    {
        string shared = Environment.GetEnvironmentVariable("CALLBRIDGE_SHARED_DIR") is { Length: > 0 } env ? env : SharedBesideRepo();
        string path = Path.Combine(shared, "vectors", "rfc4475", name + ".dat");
        byte[] raw = File.Exists(path) ? File.ReadAllBytes(path) : throw new FileNotFoundException("RFC 4475 vector missing (set CALLBRIDGE_SHARED_DIR)", path);
        var o = new List<byte>(raw.Length + 64);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r'))
            {
                o.Add((byte)'\r');
            }

            o.Add(raw[i]);
        }

        return [.. o];
    }

    private static string SharedBesideRepo()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Callbridge.Gateways.sln")))
            {
                return Path.Combine(dir.Parent!.FullName, "shared");
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
