using Callbridge.Conference;
using Callbridge.Conference.Janus;

namespace Callbridge.Gateways.Host.Janus;

/// <summary>The conference connector for whichever Janus the host uses, available once that Janus is (the embedded one starts with the host).</summary>
internal sealed class DeferredJanusConnector(JanusEndpoint endpoint, IHttpClientFactory httpFactory, ILoggerFactory loggers, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<JanusConnectionOptions> options) : IConferenceConnector
{
    private JanusConferenceConnector? _connector;

    public async Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken) =>
        await (await GetAsync(cancellationToken).ConfigureAwait(false)).ProbeAsync(conferenceId, cancellationToken).ConfigureAwait(false);

    public async Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken) =>
        await (await GetAsync(cancellationToken).ConfigureAwait(false)).JoinAsync(request, cancellationToken).ConfigureAwait(false);

    private async Task<JanusConferenceConnector> GetAsync(CancellationToken ct)
    {
        if (_connector is not null) return _connector;
        Uri uri;
        try
        {
            uri = await endpoint.HttpUri.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, "Janus did not start: " + e.Message, e);
        }
        GatewayIceOptions ice = options.Value.GatewayIce;
        return _connector = new JanusConferenceConnector(httpFactory.CreateClient("janus"), new JanusConferenceOptions
        {
            JanusUri = uri,
            TimeProvider = time,
            IceInterfaces = ice.Interfaces,
            IceAddresses = [.. ice.Addresses.Select(System.Net.IPAddress.Parse)],
            EnableIPv6 = ice.EnableIPv6,
            NackAudio = options.Value.NackAudio,
        }, loggers);
    }
}
