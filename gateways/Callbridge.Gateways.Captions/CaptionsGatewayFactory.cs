using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.Speech.Whisper;
using Callbridge.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Captions;

/// <summary>Starts server captions gateways on the host's one <see cref="CaptionsEngine"/>.</summary>
public sealed class CaptionsGatewayFactory : IGatewayFactory
{
    private readonly IConferenceConnector _connector;
    private readonly IBlobSink _sink;
    private readonly CaptionsOptions _options;
    private readonly CaptionsEngine _engine;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    public CaptionsGatewayFactory(IConferenceConnector connector, IBlobSink sink, IOptions<CaptionsOptions> options, CaptionsEngine engine,
        TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connector = connector ?? throw new ArgumentNullException(nameof(connector));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
    }

    public GatewayKind Kind => GatewayKind.ServerCaptions;

    public async Task<IGateway> StartAsync(GatewayLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        IStreamingRecognizer recognizer;
        ISpeechEngineHealth health;
        try
        {
            (recognizer, health) = await _engine.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SpeechEngineException or WhisperEngineException)
        {
            throw new GatewayStartException("captions-engine-unavailable", $"The {_engine.Name} speech engine could not start: {e.Message}", e);
        }

        IConferenceSession session = await SubscriberJoin.JoinAsync(_connector, launch.ConferenceId, _options.DisplayName,
            "The room requires end-to-end encryption; server captions cannot read its audio.", cancellationToken).ConfigureAwait(false);

        var gateway = new CaptionsGateway(launch, session, _options, _sink, recognizer, health, _time, _loggers.CreateLogger<CaptionsGateway>());
        try
        {
            await gateway.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ConferenceException e)
        {
            await gateway.StopAsync(CancellationToken.None).ConfigureAwait(false);
            throw SubscriberJoin.MediaPathFailed(e);
        }

        return gateway;
    }
}
