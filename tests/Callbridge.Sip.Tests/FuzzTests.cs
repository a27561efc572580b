using System.Text;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Tests;

/// <summary>Seeded random and mutation loops: only the typed outcome ever comes out, and what parses
/// re-serializes into something that parses to the same headers.</summary>
public class FuzzTests
{
    private const int Inputs = 100_000;

    internal static byte[][] Corpus()
    {
        var names = Directory.GetFiles(TestPaths.TortureDir, "*.dat").Select(Path.GetFileNameWithoutExtension);
        return names.Select(n => TestPaths.LoadTorture(n!)).Append(SampleMessages.InviteBytes).ToArray();
    }

    private static readonly byte[] Interesting = "\r\n \t:;,<>\"\\@%=/?[]0123456789SIP/2.0 sip:zZ\0\xff"u8.ToArray();

    internal static byte[] Mutate(Random rng, byte[] seed)
    {
        var b = new List<byte>(seed);
        int edits = 1 + rng.Next(8);
        for (int e = 0; e < edits && b.Count > 0; e++)
        {
            int at = rng.Next(b.Count);
            switch (rng.Next(6))
            {
                case 0: b[at] = (byte)rng.Next(256); break;
                case 1: b[at] = Interesting[rng.Next(Interesting.Length)]; break;
                case 2: b.RemoveAt(at); break;
                case 3: b.Insert(at, Interesting[rng.Next(Interesting.Length)]); break;
                case 4: b.RemoveRange(at, Math.Min(b.Count - at, rng.Next(1, 40))); break;
                default:
                    int from = rng.Next(b.Count), len = Math.Min(b.Count - from, rng.Next(1, 60));
                    b.InsertRange(at, b.GetRange(from, len));
                    break;
            }
        }
        return b.ToArray();
    }

    [Fact]
    public void MessageParserOnlyReturnsTypedOutcomes()
    {
        var rng = new Random(4475);
        var corpus = Corpus();
        int complete = 0, invalid = 0, more = 0;
        for (int n = 0; n < Inputs; n++)
        {
            byte[] input;
            if (n % 10 == 0)
            {
                input = new byte[rng.Next(0, 300)];
                rng.NextBytes(input);
            }
            else input = Mutate(rng, corpus[rng.Next(corpus.Length)]);
            bool datagram = (n & 1) == 0;
            var st = SipMessage.TryParse(input, datagram, out var m, out int consumed, out var err);
            switch (st)
            {
                case SipParseStatus.Complete:
                    complete++;
                    Assert.NotNull(m);
                    Assert.InRange(consumed, 1, input.Length);
                    // Typed accessors never throw on a parsed message, and it re-serializes into a parseable one.
                    _ = (m.From, m.To, m.Vias, m.Contacts, m.Routes, m.RecordRoutes, m.CSeq, m.CallId, m.Reasons, m.MaxForwards);
                    var again = SipMessage.TryParse(m.ToArray(), true, out var m2, out _, out var err2);
                    Assert.True(again == SipParseStatus.Complete, err2.ToString());
                    Assert.Equal(m.Headers.Count, m2!.Headers.Count);
                    break;
                case SipParseStatus.Invalid:
                    invalid++;
                    Assert.Null(m);
                    Assert.NotEqual(SipParseErrorReason.None, err.Reason);
                    Assert.Contains(err.StatusCode, new[] { 400, 505, 513 });
                    break;
                default:
                    more++;
                    Assert.False(datagram);
                    break;
            }
        }
        // The loop must exercise both outcomes substantially, or it proves nothing.
        Assert.True(complete > 5_000 && invalid > 10_000, $"complete={complete} invalid={invalid} more={more}");
    }

    [Fact]
    public void HeaderParsersOnlyReturnBool()
    {
        var rng = new Random(3261);
        byte[][] seeds =
        [
            "sip:alice:pw@[2001:db8::1]:5060;transport=tcp;lr?h=v&x=y"u8.ToArray(),
            "\"Bob \\\"B\\\"\" <sips:bob@example.com;maddr=10.0.0.1>;tag=xyz;q=0.5"u8.ToArray(),
            "tel:+1-555-0100;phone-context=example.com"u8.ToArray(),
            "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com"u8.ToArray(),
            "Digest realm=\"trunk\", nonce=\"abc\", qop=\"auth,auth-int\", algorithm=SHA-256, opaque=\"x\""u8.ToArray(),
            "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;received=192.0.2.1;rport, SIP/2.0/TCP h;ttl=3"u8.ToArray(),
            "SIP ;cause=487 ;text=\"gone\", Q.850;cause=16"u8.ToArray(),
        ];
        int ok = 0;
        for (int n = 0; n < Inputs; n++)
        {
            var input = Mutate(rng, seeds[rng.Next(seeds.Length)]);
            if (SipUri.TryParse(input, out var u))
            {
                ok++;
                Assert.True(SipUri.TryParse(u.ToString(), out var u2), u.ToString());
                Assert.Equal(u.ToString(), u2.ToString());
            }
            if (SipNameAddress.TryParse(input, out var na)) Assert.True(SipNameAddress.TryParse(na.ToString(), out _), na.ToString());
            var list = new List<SipVia>();
            SipVia.TryParseList(input, list);
            SipReason.TryParseList(input, []);
            if (Callbridge.Sip.Auth.SipDigestChallenge.TryParse(System.Text.Encoding.Latin1.GetString(input), out var ch))
                Assert.False(string.IsNullOrEmpty(ch.Nonce));
        }
        Assert.True(ok > 1000, "ok=" + ok);
    }
}
