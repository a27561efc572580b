namespace Callbridge.Stun.Tests;

/// <summary>Seeded random and mutation loops: the parser only ever answers with a typed result.</summary>
public class StunFuzzTests
{
    private const int Inputs = 100_000;

    [Fact]
    public void RandomAndMutatedInputs_OnlyProduceTypedResults()
    {
        var random = new Random(8489);
        byte[][] seeds = [Rfc5769Vectors.Request, Rfc5769Vectors.ResponseIPv4, Rfc5769Vectors.ResponseIPv6, Rfc5769Vectors.RequestLongTerm];
        byte[] buffer = new byte[256];
        var outcomes = new Dictionary<StunParseError, int>();
        for (int i = 0; i < Inputs; i++)
        {
            int length;
            if (i % 4 == 0)
            {
                length = random.Next(0, buffer.Length);
                random.NextBytes(buffer.AsSpan(0, length));
                if (length >= 8 && random.Next(2) == 0)
                {
                    // Give random bodies a valid header often enough to reach the attribute walk.
                    buffer[0] &= 0x3F;
                    buffer[4] = 0x21; buffer[5] = 0x12; buffer[6] = 0xA4; buffer[7] = 0x42;
                }
            }
            else
            {
                byte[] seed = seeds[random.Next(seeds.Length)];
                seed.CopyTo(buffer, 0);
                length = seed.Length;
                int mutations = random.Next(1, 6);
                for (int m = 0; m < mutations; m++)
                {
                    switch (random.Next(4))
                    {
                        case 0: buffer[random.Next(length)] ^= (byte)(1 << random.Next(8)); break;
                        case 1: buffer[random.Next(length)] = (byte)random.Next(256); break;
                        case 2: length = random.Next(length + 1); break;
                        default:
                            int extra = random.Next(1, 16);
                            length = Math.Min(buffer.Length, length + extra);
                            random.NextBytes(buffer.AsSpan(length - Math.Min(extra, length), Math.Min(extra, length)));
                            break;
                    }
                }
            }

            StunParseError error = StunMessage.TryParse(buffer.AsSpan(0, length), out StunMessage message, out int consumed);
            Assert.True(Enum.IsDefined(error));
            outcomes[error] = outcomes.GetValueOrDefault(error) + 1;
            if (error == StunParseError.None)
            {
                Assert.InRange(consumed, 20, length);
                // Every accessor must be safe on anything the parser accepted.
                foreach (StunAttribute attribute in message.GetAttributes())
                {
                    Assert.True(attribute.Offset + 4 + attribute.Value.Length <= consumed);
                }

                message.TryGetXorMappedAddress(out _);
                message.TryGetMappedAddress(out _);
                message.TryGetErrorCode(out _, out _);
                message.TryGetPriority(out _);
                message.TryGetIceControlling(out _);
                message.TryFindUnknownComprehensionRequired(out _);
                message.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBt"u8);
                message.VerifyMessageIntegritySha256("x"u8);
                message.VerifyFingerprint();
            }
            else
            {
                Assert.Equal(0, consumed);
            }
        }

        // The loop reached both sides of the parser, not only its first check.
        Assert.True(outcomes.GetValueOrDefault(StunParseError.None) > 1000);
        Assert.True(outcomes.Count >= 6, string.Join(", ", outcomes));
    }
}
