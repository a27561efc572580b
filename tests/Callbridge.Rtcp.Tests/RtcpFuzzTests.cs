using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

/// <summary>Seeded random + mutation loop over every parser: only typed errors, and what parses re-serializes and re-parses.</summary>
public class RtcpFuzzTests
{
    private const int Iterations = 100_000;

    [Fact]
    public void RandomAndMutatedCompoundsYieldOnlyTypedErrors()
    {
        var random = new Random(3550);
        byte[][] seeds =
        [
            ReportPacketTests.SenderReportBytes,
            DescriptionPacketTests.SdesBytes,
            Hex.Bytes("81 CD 00 03 00 00 00 01 00 00 00 02 00 64 00 05"),
            Hex.Bytes("81 CE 00 02 00 00 00 0A 00 00 00 0B"),
            Hex.Bytes("84 CE 00 04 00 00 00 0A 00 00 00 00 00 00 00 0C 07 00 00 00"),
            Hex.Bytes("8F CE 00 05 00 00 00 01 00 00 00 00 52 45 4D 42 01 0D E8 48 00 00 00 09"),
            Hex.Bytes("81 CB 00 03 00 00 00 05 04 62 79 65 21 00 00 00"),
            Hex.Bytes("83 CC 00 03 00 00 00 07 43 42 47 57 01 02 03 04"),
            Hex.Bytes("A1 C9 00 08 00 00 00 01" + string.Concat(Enumerable.Repeat("11", 24)) + "00 00 00 04"),
        ];
        var buffer = new byte[512];
        var output = new byte[1024];
        int parsed = 0;
        var errors = new HashSet<RtcpError>();
        for (int i = 0; i < Iterations; i++)
        {
            int length;
            if (i % 4 == 0)
            {
                length = random.Next(0, 120);
                random.NextBytes(buffer.AsSpan(0, length));
                if (length > 1)
                {
                    buffer[0] = (byte)(0x80 | (buffer[0] & 0x3F));
                    buffer[1] = (byte)random.Next(199, 208);
                }
            }
            else
            {
                length = 0;
                int parts = random.Next(1, 4);
                for (int p = 0; p < parts; p++)
                {
                    var seed = seeds[random.Next(seeds.Length)];
                    seed.CopyTo(buffer, length);
                    length += seed.Length;
                }

                int mutations = random.Next(1, 5);
                for (int m = 0; m < mutations; m++)
                {
                    switch (random.Next(4))
                    {
                        case 0: buffer[random.Next(length)] ^= (byte)(1 << random.Next(8)); break;
                        case 1: buffer[random.Next(length)] = (byte)random.Next(256); break;
                        case 2: length = random.Next(length + 1); break;
                        default: buffer[random.Next(Math.Max(1, Math.Min(length, 4)))] = (byte)random.Next(256); break;
                    }
                }
            }

            var input = buffer.AsSpan(0, length);
            var e = new RtcpCompoundEnumerator(input);
            while (e.MoveNext())
            {
                var error = ParseAndRoundTrip(e.CurrentKind, e.CurrentPacket, output);
                Assert.True(Enum.IsDefined(error));
                errors.Add(error);
                if (error == RtcpError.None)
                {
                    parsed++;
                }
            }

            Assert.True(Enum.IsDefined(e.Error));
            errors.Add(e.Error);

            // Parsers given data directly, whatever the type, must answer with a typed error too.
            Assert.True(Enum.IsDefined(SenderReport.TryParse(input, out _, out _)));
            Assert.True(Enum.IsDefined(SourceDescription.TryParse(input, out _, out _)));
            Assert.True(Enum.IsDefined(ReceiverEstimatedMaxBitrate.TryParse(input, out _, out _)));
        }

        Assert.True(parsed > 10_000, $"parsed {parsed}");
        Assert.True(errors.Count >= 7, string.Join(", ", errors));
    }

    private static RtcpError ParseAndRoundTrip(RtcpPacketKind kind, ReadOnlySpan<byte> packet, byte[] output)
    {
        RtcpError error;
        switch (kind)
        {
            case RtcpPacketKind.SenderReport:
                error = SenderReport.TryParse(packet, out var sr, out _);
                if (error == RtcpError.None && sr.ProfileExtension.Length % 4 == 0)
                {
                    int n = sr.WriteTo(output);
                    Assert.Equal(RtcpError.None, SenderReport.TryParse(output.AsSpan(0, n), out var again, out _));
                    Assert.Equal(sr.NtpTimestamp, again.NtpTimestamp);
                    Assert.Equal(sr.ReportBlocks.Count, again.ReportBlocks.Count);
                }

                return error;
            case RtcpPacketKind.ReceiverReport:
                error = ReceiverReport.TryParse(packet, out var rr, out _);
                if (error == RtcpError.None && rr.ProfileExtension.Length % 4 == 0)
                {
                    int n = rr.WriteTo(output);
                    Assert.Equal(RtcpError.None, ReceiverReport.TryParse(output.AsSpan(0, n), out _, out _));
                }

                return error;
            case RtcpPacketKind.SourceDescription:
                error = SourceDescription.TryParse(packet, out var sdes, out _);
                if (error == RtcpError.None)
                {
                    int n = sdes.WriteTo(output);
                    Assert.Equal(RtcpError.None, SourceDescription.TryParse(output.AsSpan(0, n), out _, out _));
                }

                return error;
            case RtcpPacketKind.Goodbye:
                error = Goodbye.TryParse(packet, out var bye, out _);
                if (error == RtcpError.None)
                {
                    int n = bye.WriteTo(output);
                    Assert.Equal(RtcpError.None, Goodbye.TryParse(output.AsSpan(0, n), out var again, out _));
                    Assert.True(bye.Reason.SequenceEqual(again.Reason));
                }

                return error;
            case RtcpPacketKind.ApplicationDefined:
                error = ApplicationDefined.TryParse(packet, out var app, out _);
                if (error == RtcpError.None && app.Data.Length % 4 == 0)
                {
                    int n = app.WriteTo(output);
                    Assert.Equal(RtcpError.None, ApplicationDefined.TryParse(output.AsSpan(0, n), out _, out _));
                }

                return error;
            case RtcpPacketKind.GenericNack:
                error = GenericNack.TryParse(packet, out var nack, out _);
                if (error == RtcpError.None)
                {
                    int n = nack.WriteTo(output);
                    Assert.Equal(RtcpError.None, GenericNack.TryParse(output.AsSpan(0, n), out _, out _));
                }

                return error;
            case RtcpPacketKind.PictureLossIndication:
                return PictureLossIndication.TryParse(packet, out _, out _);
            case RtcpPacketKind.FullIntraRequest:
                error = FullIntraRequest.TryParse(packet, out var fir, out _);
                if (error == RtcpError.None)
                {
                    int n = fir.WriteTo(output);
                    Assert.Equal(RtcpError.None, FullIntraRequest.TryParse(output.AsSpan(0, n), out _, out _));
                }

                return error;
            case RtcpPacketKind.ReceiverEstimatedMaxBitrate:
                error = ReceiverEstimatedMaxBitrate.TryParse(packet, out var remb, out _);
                if (error == RtcpError.None)
                {
                    int n = remb.WriteTo(output);
                    Assert.Equal(RtcpError.None, ReceiverEstimatedMaxBitrate.TryParse(output.AsSpan(0, n), out _, out _));
                }

                return error;
            default:
                error = RawRtcpPacket.TryParse(packet, out var raw, out _);
                if (error == RtcpError.None)
                {
                    int n = raw.WriteTo(output);
                    Assert.Equal(RtcpError.None, RawRtcpPacket.TryParse(output.AsSpan(0, n), out _, out _));
                }

                return error;
        }
    }
}
