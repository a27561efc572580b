using Callbridge.Conference.Janus;

namespace Callbridge.Conference.Tests;

public sealed class JanusConferenceOptionsTests
{
    [Fact]
    public void A_subscription_may_ask_for_its_own_receive_batching_and_otherwise_gets_the_connectors()
    {
        var options = new JanusConferenceOptions { JanusUri = new Uri("http://127.0.0.1:8088/janus"), ReceiveBatchInterval = TimeSpan.FromMilliseconds(5) };

        Assert.Equal(TimeSpan.FromMilliseconds(5), options.CreatePeerConnectionOptions().ReceiveBatchInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(20), options.CreatePeerConnectionOptions(TimeSpan.FromMilliseconds(20)).ReceiveBatchInterval);
        Assert.Equal(TimeSpan.Zero, options.CreatePeerConnectionOptions(TimeSpan.Zero).ReceiveBatchInterval);
    }

    [Fact]
    public void Audio_retransmission_is_off_unless_the_connector_turns_it_on()
    {
        var uri = new Uri("http://127.0.0.1:8088/janus");

        Assert.False(new JanusConferenceOptions { JanusUri = uri }.CreatePeerConnectionOptions().NackAudio);
        Assert.True(new JanusConferenceOptions { JanusUri = uri, NackAudio = true }.CreatePeerConnectionOptions().NackAudio);
    }
}
