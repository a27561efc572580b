using System.Text;

namespace Callbridge.Sdp.Tests;

/// <summary>Seeded mutation loop over real-shaped descriptions: only typed results, never an exception.</summary>
public class SdpFuzzTests
{
    private const int Inputs = 100_000;
    private static readonly string[] Tokens =
    [
        "\r\n", "\n", " ", ":", "/", "=", "a=", "m=", "c=", "0", "65536", "4294967296", "-1", "typ", "raddr", "candidate:",
        "rtpmap:", "fmtp:", "ssrc:", "extmap:", "group:BUNDLE", "setup:", "\u00e9", "\0", "\t", "*",
    ];

    [Fact]
    public void MutatedDescriptions_OnlyProduceTypedResults()
    {
        var random = new Random(8866);
        string[] seeds = [.. SdpFixtures.All.Select(SdpFixtures.Load)];
        var outcomes = new Dictionary<SdpParseError, int>();
        var sb = new StringBuilder();
        for (int i = 0; i < Inputs; i++)
        {
            string seed = seeds[random.Next(seeds.Length)];
            sb.Clear().Append(seed);
            int mutations = random.Next(1, 4);
            for (int m = 0; m < mutations && sb.Length > 0; m++)
            {
                int at = random.Next(sb.Length);
                switch (random.Next(5))
                {
                    case 0: sb[at] = (char)random.Next(0, 128); break;
                    case 1: sb.Remove(at, Math.Min(sb.Length - at, random.Next(1, 40))); break;
                    case 2: sb.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                    case 3: sb.Length = at; break;
                    default:
                        // Duplicate a random slice: repeated attributes and sections.
                        int len = Math.Min(sb.Length - at, random.Next(1, 200));
                        sb.Insert(random.Next(sb.Length), sb.ToString(at, len));
                        break;
                }
            }

            string text = sb.ToString();
            bool ok = SessionDescription.TryParse(text, out SessionDescription? description, out SdpParseFailure failure);
            outcomes[failure.Error] = outcomes.GetValueOrDefault(failure.Error) + 1;
            if (ok)
            {
                Assert.Equal(SdpParseError.None, failure.Error);
                if (i % 8 != 0)
                {
                    continue;
                }

                // Whatever was accepted serializes to text that parses to the same thing (sampled: it costs
                // three times the parse).
                string serialized = description!.ToString();
                Assert.True(SessionDescription.TryParse(serialized, out SessionDescription? again, out SdpParseFailure second), second.ToString());
                Assert.Equal(serialized, again!.ToString());
            }
            else
            {
                Assert.True(Enum.IsDefined(failure.Error) && failure.Error != SdpParseError.None);
                Assert.InRange(failure.LineNumber, 0, text.Count(c => c == '\n') + 1);
            }
        }

        Assert.True(outcomes.GetValueOrDefault(SdpParseError.None) > 1000);
        Assert.True(outcomes.Count >= 10, string.Join(", ", outcomes));
    }
}
