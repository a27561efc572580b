using Callbridge.Rtp;

namespace Callbridge.Rtp.Tests;

/// <summary>Seeded random and mutation loops: only the typed error ever comes out, and what parses round-trips.</summary>
public class RtpFuzzTests
{
    private const int Iterations = 100_000;

    [Fact]
    public void RandomAndMutatedInputsYieldOnlyTypedErrors()
    {
        var random = new Random(20261122);
        var seeds = new List<byte[]> { BuildSeed(oneByte: true), BuildSeed(oneByte: false) };
        var buffer = new byte[1600];
        var output = new byte[1600];
        var counts = new Dictionary<RtpParseError, int>();
        for (int i = 0; i < Iterations; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = random.Next(0, 200);
                random.NextBytes(buffer.AsSpan(0, length));
                if (length > 0 && random.Next(2) == 0)
                {
                    buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
                }
            }
            else
            {
                var seed = seeds[random.Next(seeds.Count)];
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
                        default: if (length < 1500) { buffer[length] = (byte)random.Next(256); length++; } break;
                    }
                }
            }

            var input = buffer.AsSpan(0, length);
            var error = RtpPacket.TryParse(input, out var packet, out int consumed);
            Assert.True(Enum.IsDefined(error));
            counts[error] = counts.GetValueOrDefault(error) + 1;
            if (error != RtpParseError.None)
            {
                Assert.Equal(0, consumed);
                continue;
            }

            Assert.Equal(length, consumed);
            foreach (var element in packet.GetExtensions())
            {
                Assert.InRange(element.Id, 1, 255);
            }

            int written = packet.WriteTo(output);
            Assert.Equal(packet.GetSerializedLength(), written);
            Assert.Equal(length, written);
            Assert.Equal(RtpParseError.None, RtpPacket.TryParse(output.AsSpan(0, written), out var again, out _));
            Assert.Equal(packet.SequenceNumber, again.SequenceNumber);
            Assert.True(packet.Payload.SequenceEqual(again.Payload));
            Assert.True(packet.ExtensionBody.SequenceEqual(again.ExtensionBody));
            // Everything but padding content is preserved.
            Assert.True(input[..(length - packet.PaddingLength)].SequenceEqual(output.AsSpan(0, written - packet.PaddingLength)));
        }

        // The loop reached both the success path and several distinct errors.
        Assert.True(counts.GetValueOrDefault(RtpParseError.None) > 1000);
        Assert.True(counts.Count >= 5, string.Join(", ", counts));
    }

    private static byte[] BuildSeed(bool oneByte)
    {
        Span<byte> ext = stackalloc byte[32];
        var writer = new RtpHeaderExtensionWriter(ext, oneByte ? RtpHeaderExtensionForm.OneByte : RtpHeaderExtensionForm.TwoByte);
        writer.TryAdd(1, [0x85]);
        writer.TryAdd(2, [1, 2, 3]);
        writer.TryAdd(3, "0"u8);
        var packet = new RtpPacket
        {
            PayloadType = 96,
            SequenceNumber = 1000,
            Timestamp = 3000,
            Ssrc = 5,
            CsrcBytes = [0, 0, 0, 1, 0, 0, 0, 2],
            HasExtension = true,
            ExtensionProfile = writer.Profile,
            ExtensionBody = writer.Complete(),
            Payload = "payload bytes"u8,
            PaddingLength = 3,
        };
        var bytes = new byte[packet.GetSerializedLength()];
        packet.WriteTo(bytes);
        return bytes;
    }
}
