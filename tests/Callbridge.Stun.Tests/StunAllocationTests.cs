using Callbridge.TestSupport;

namespace Callbridge.Stun.Tests;

public class StunAllocationTests
{
    [Fact]
    public void ParseVerifyAndWrite_AllocateNothing()
    {
        byte[] key = StunCredentials.ShortTermKey(Rfc5769Vectors.ShortTermPassword);
        byte[] output = new byte[256];
        var address = StunAddress.FromEndPoint(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("198.18.0.1"), 5000));
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                Run();
            }
        });

        Assert.Equal(0, allocated);

        // Plain checks inside the measured loop: xunit's Assert allocates on its own.
        void Run()
        {
            bool ok = StunMessage.TryParse(Rfc5769Vectors.Request, out StunMessage message, out _) == StunParseError.None
                && message.VerifyMessageIntegrity(key) && message.VerifyFingerprint()
                && message.TryGetUsername(out _) && message.TryGetPriority(out _) && message.TryGetIceControlled(out _);
            var writer = new StunMessageWriter(output, StunMessageType.BindingSuccess, message.TransactionId);
            writer.AddXorMappedAddress(address);
            writer.AddMessageIntegrity(key);
            writer.AddFingerprint();
            ok &= StunMessage.TryParse(writer.Written, out StunMessage response, out _) == StunParseError.None
                && response.TryGetXorMappedAddress(out StunAddress mapped) && mapped == address;
            if (!ok)
            {
                throw new InvalidOperationException("STUN round trip failed");
            }
        }
    }
}
