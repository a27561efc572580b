using System.Buffers.Binary;
using Callbridge.Srtp;

namespace Callbridge.Dtls.Tests;

internal static class SrtpFlow
{
    /// <summary>Protects RTP with <paramref name="from"/>'s outbound keys and asserts <paramref name="to"/>'s inbound keys recover it.</summary>
    public static void AssertFlows(SrtpMasterKeys from, SrtpMasterKeys to, ushort sequence)
    {
        using SrtpSession sender = from.CreateOutboundSession();
        using SrtpSession receiver = to.CreateInboundSession();
        byte[] rtp = new byte[12 + 160];
        rtp[0] = 0x80;
        rtp[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), 0x5150_5150);
        for (int i = 12; i < rtp.Length; i++)
        {
            rtp[i] = (byte)i;
        }

        byte[] buffer = new byte[rtp.Length + sender.RtpTrailerLength];
        rtp.CopyTo(buffer, 0);
        Assert.Equal(SrtpStatus.Ok, sender.Protect(buffer, rtp.Length, out int srtpLength));
        Assert.Equal(SrtpStatus.Ok, receiver.Unprotect(buffer.AsSpan(0, srtpLength), out int rtpLength));
        Assert.Equal(rtp, buffer.AsSpan(0, rtpLength).ToArray());
    }
}
