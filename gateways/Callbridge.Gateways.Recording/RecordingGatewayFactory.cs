using Callbridge.Conference;
using Callbridge.Ffmpeg;
using Callbridge.Gateways.Recording.Spool;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Recording;

/// <summary>Starts recording gateways, and finishes recordings a previous process left in the spool folder.</summary>
public sealed partial class RecordingGatewayFactory : IGatewayFactory
{
    private readonly IConferenceConnector _connector;
    private readonly RecordingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly RecordingFinalizer _finalizer;
    private readonly string _spoolRoot;
    private readonly SpoolSync _sync;

    public RecordingGatewayFactory(IConferenceConnector connector, IBlobSink sink, IOptions<RecordingOptions> options,
        IDecisionAuditLog? audit = null, TimeProvider? time = null, ILoggerFactory? loggers = null, FfmpegTools? ffmpeg = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connector = connector;
        _options = options.Value;
        _time = time ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _spoolRoot = Path.GetFullPath(_options.SpoolFolder);
        _sync = new SpoolSync(_spoolRoot, _options.SyncInterval, _time, _loggers.CreateLogger<SpoolSync>());
        _finalizer = new RecordingFinalizer(sink, new FfmpegRunner(ffmpeg), _options, audit, _time, _loggers.CreateLogger<RecordingFinalizer>());
        Sink = sink;
    }

    public GatewayKind Kind => GatewayKind.Recording;

    internal IBlobSink Sink { get; }

    /// <summary>Syncs of the spool's file system so far, by every recording this factory started.</summary>
    internal long SpoolSyncs => _sync.Syncs;

    public async Task<IGateway> StartAsync(GatewayLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var spool = new SpoolFolder(Path.Combine(_spoolRoot, NameSafety.Segment(launch.GatewayId)));
        if (Directory.Exists(spool.Path))
            throw new GatewayStartException("duplicate-gateway-id", $"A recording with id '{launch.GatewayId}' already has a spool.");

        IConferenceSession session = await SubscriberJoin.JoinAsync(_connector, launch.ConferenceId, _options.DisplayName,
            "The room requires end-to-end encryption; a recording cannot read its media.", cancellationToken).ConfigureAwait(false);

        Directory.CreateDirectory(spool.Path);
        var gateway = new RecordingGateway(launch, session, spool, _sync, _options, Sink, _finalizer, _time, _loggers.CreateLogger<RecordingGateway>());
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

    /// <summary>
    /// Finishes every recording in the spool folder that no running process owns: sealed ones that were not
    /// uploaded yet, and unsealed ones whose process was killed. Call once at start, before any recording starts.
    /// </summary>
    public async Task<IReadOnlyList<RecoveredRecording>> RecoverAsync(CancellationToken cancellationToken)
    {
        var recovered = new List<RecoveredRecording>();
        if (!Directory.Exists(_spoolRoot)) return recovered;
        ILogger logger = _loggers.CreateLogger<RecordingGatewayFactory>();
        foreach (string folder in Directory.EnumerateDirectories(_spoolRoot).Order(StringComparer.Ordinal).ToList())
        {
            var spool = new SpoolFolder(folder);
            if (spool.IsDone)
            {
                if (!_options.KeepSpool) Directory.Delete(folder, recursive: true);
                continue;
            }
            if (spool.ReadState() is null) continue;
            try
            {
                RecordingResult result = await _finalizer.FinalizeAsync(spool, cancellationToken).ConfigureAwait(false);
                recovered.Add(new RecoveredRecording(Path.GetFileName(folder), result.Summary, result.Outputs, null));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogRecoveryFailed(logger, folder, e.Message);
                recovered.Add(new RecoveredRecording(Path.GetFileName(folder), "Not finished; retried on the next start.", [], e.Message));
            }
        }
        return recovered;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording spool {Folder} could not be finished: {Error}")]
    private static partial void LogRecoveryFailed(ILogger logger, string folder, string error);
}

/// <summary>A recording a previous process left, as the next start finished it.</summary>
/// <param name="Error">Null when it was finished and uploaded; otherwise why not (its spool stays).</param>
public sealed record RecoveredRecording(string SpoolName, string Summary, IReadOnlyList<string> Outputs, string? Error);
