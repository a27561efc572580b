using System.Globalization;
using System.Text.Json;
using Callbridge.Ffmpeg;
using Callbridge.Gateways.Recording.Manifest;
using Callbridge.Gateways.Recording.Spool;
using Callbridge.Matroska;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Storage;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Recording;

/// <summary>
/// Finishes a spool folder, whether its own process sealed it or a killed one left it: reads each track
/// file back (cutting a torn last cluster), uploads the track files, makes and uploads one file per
/// participant and the composite, and uploads manifest.json last. Every step can be run again: uploads
/// resume from the blocks already staged, and ffmpeg outputs are made anew.
/// </summary>
internal sealed partial class RecordingFinalizer(
    IBlobSink sink,
    FfmpegRunner ffmpeg,
    RecordingOptions options,
    IDecisionAuditLog? audit,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Added to the last frame's time for the recording's end: one Opus frame, so the last packet is inside.</summary>
    private static readonly TimeSpan LastFrameLength = TimeSpan.FromMilliseconds(20);

    public async Task<RecordingResult> FinalizeAsync(SpoolFolder spool, CancellationToken cancellationToken)
    {
        SpoolState spooled = spool.ReadState() ?? throw new InvalidDataException($"{spool.StateFile} is missing or unreadable.");
        var problems = new List<string>();
        var outputs = new List<string>();
        (SpoolState state, IReadOnlyDictionary<string, WebmSpoolSummary> summaries) = Place(spooled, ReadTracks(spool, spooled, problems));

        foreach (SpoolTrack track in state.Tracks)
        {
            if (!summaries.ContainsKey(track.File)) continue;
            string blob = $"{state.BlobPrefix}/tracks/{track.File}";
            await UploadFileAsync(spool.PathOf(track.File), blob, ContentType(track.Kind), cancellationToken).ConfigureAwait(false);
            outputs.Add(blob);
        }

        var participantFiles = new Dictionary<string, (string Blob, TimeSpan Offset)>(StringComparer.Ordinal);
        foreach (IGrouping<string, SpoolTrack> group in state.Tracks.Where(t => Frames(summaries, t) > 0).GroupBy(t => t.ParticipantId, StringComparer.Ordinal))
        {
            TimeSpan offset = group.Min(t => summaries[t.File].FirstFrame!.Value);
            string name = $"participant-{NameSafety.Segment(group.Key)}.webm";
            string local = spool.PathOf(name);
            try
            {
                await ffmpeg.RemuxAsync(new RemuxRequest(
                    [.. group.OrderBy(t => t.Kind, StringComparer.Ordinal).Select(t => new TimedInput(spool.PathOf(t.File), summaries[t.File].FirstFrame!.Value - offset))],
                    local), cancellationToken).ConfigureAwait(false);
            }
            catch (FfmpegException e)
            {
                problems.Add($"The file of participant {group.Key} could not be made: {e.Message}");
                continue;
            }
            string blob = $"{state.BlobPrefix}/participants/{name}";
            await UploadFileAsync(local, blob, "video/webm", cancellationToken).ConfigureAwait(false);
            outputs.Add(blob);
            participantFiles[group.Key] = (blob, offset);
        }

        TimeSpan length = RecordingLength(state, summaries);
        string? compositeBlob = null;
        if (options.Composite && length > TimeSpan.Zero && summaries.Values.Any(s => s.Frames > 0))
        {
            string local = spool.PathOf("composite.webm");
            TimedInput[] Inputs(string kind) => [.. state.Tracks.Where(t => t.Kind == kind && Frames(summaries, t) > 0)
                .Select(t => new TimedInput(spool.PathOf(t.File), summaries[t.File].FirstFrame!.Value))];
            try
            {
                await ffmpeg.ComposeAsync(new CompositeRequest(Inputs("audio"), Inputs("video"), length, local,
                    options.CompositeWidth, options.CompositeHeight, options.CompositeFramesPerSecond), cancellationToken).ConfigureAwait(false);
                compositeBlob = $"{state.BlobPrefix}/composite.webm";
                await UploadFileAsync(local, compositeBlob, "video/webm", cancellationToken).ConfigureAwait(false);
                outputs.Add(compositeBlob);
            }
            catch (FfmpegException e)
            {
                compositeBlob = null;
                problems.Add($"The composite could not be made: {e.Message}");
            }
        }

        RecordingManifest manifest = BuildManifest(state, summaries, participantFiles, compositeBlob, problems);
        string manifestBlob = $"{state.BlobPrefix}/manifest.json";
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(manifest, RecordingJsonContext.Default.RecordingManifest);
        await File.WriteAllBytesAsync(spool.PathOf("manifest.json"), json, cancellationToken).ConfigureAwait(false);
        await RetryAsync(ct => sink.PutAsync(manifestBlob, json, "application/json", ct), manifestBlob, cancellationToken).ConfigureAwait(false);
        outputs.Add(manifestBlob);

        spool.MarkDone();
        if (!options.KeepSpool) Directory.Delete(spool.Path, recursive: true);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"Recorded {manifest.Participants.Count} participant(s) for {FormatLength(length)}{(manifest.Recovered ? ", finished after a restart" : "")}.");
        LogFinished(logger, state.GatewayId, summary);
        return new RecordingResult(summary, outputs, manifestBlob);
    }

    /// <summary>A manifest from what is on disk now, with the reason sealed in spool.json; the final one replaces it.</summary>
    public async Task PutProvisionalManifestAsync(SpoolFolder spool, CancellationToken cancellationToken)
    {
        SpoolState spooled = spool.ReadState() ?? throw new InvalidDataException($"{spool.StateFile} is missing or unreadable.");
        var problems = new List<string> { "Provisional: per-participant files, the composite and the uploads are still being finished." };
        (SpoolState state, IReadOnlyDictionary<string, WebmSpoolSummary> summaries) = Place(spooled, ReadTracks(spool, spooled, problems));
        RecordingManifest manifest = BuildManifest(state, summaries, new Dictionary<string, (string, TimeSpan)>(), null, problems);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(manifest, RecordingJsonContext.Default.RecordingManifest);
        await sink.PutAsync($"{state.BlobPrefix}/manifest.json", json, "application/json", cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, WebmSpoolSummary> ReadTracks(SpoolFolder spool, SpoolState state, List<string> problems)
    {
        var summaries = new Dictionary<string, WebmSpoolSummary>(StringComparer.Ordinal);
        foreach (SpoolTrack track in state.Tracks)
        {
            string path = spool.PathOf(track.File);
            if (!File.Exists(path))
            {
                problems.Add($"Track file {track.File} is missing from the spool.");
                continue;
            }
            WebmSpoolSummary? summary = WebmSpoolSummary.Read(path);
            if (summary is null)
            {
                problems.Add($"Track file {track.File} is not a readable WebM spool.");
                continue;
            }
            if (summary.ValidLength < summary.FileLength)
            {
                // A write torn by a power loss: what follows the last whole cluster is not media.
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                    file.SetLength(summary.ValidLength);
                    file.Flush(flushToDisk: true);
                }
                summary = summary with { FileLength = summary.ValidLength };
            }
            summaries[track.File] = summary;
        }
        return summaries;
    }

    /// <summary>
    /// Puts each track where it belongs: its frames' file times plus its shift (see <see cref="SpoolTrack.ShiftSeconds"/>).
    /// A shift can place media before the first arrival (frames that arrived late, all at once): the recording
    /// then starts that much earlier, and every time in it (tracks, gaps, presence) moves with its start.
    /// </summary>
    internal static (SpoolState State, IReadOnlyDictionary<string, WebmSpoolSummary> Summaries) Place(SpoolState state, IReadOnlyDictionary<string, WebmSpoolSummary> summaries)
    {
        TimeSpan earliest = TimeSpan.Zero;
        foreach (SpoolTrack track in state.Tracks)
        {
            if (summaries.TryGetValue(track.File, out WebmSpoolSummary? s) && s.FirstFrame is { } first && first + Shift(track) < earliest) earliest = first + Shift(track);
        }
        TimeSpan lead = -earliest;
        var placed = new Dictionary<string, WebmSpoolSummary>(StringComparer.Ordinal);
        foreach (SpoolTrack track in state.Tracks)
        {
            if (!summaries.TryGetValue(track.File, out WebmSpoolSummary? s)) continue;
            TimeSpan move = Shift(track) + lead;
            placed[track.File] = s with { FirstFrame = s.FirstFrame + move, LastFrame = s.LastFrame + move };
        }
        double Move(SpoolTrack t) => (Shift(t) + lead).TotalSeconds;
        return (state with
        {
            StartedAt = state.StartedAt - lead,
            Tracks = [.. state.Tracks.Select(t => t.Counters is null ? t : t with
            {
                Counters = t.Counters with { Gaps = [.. t.Counters.Gaps.Select(g => g with { FromSeconds = g.FromSeconds + Move(t), ToSeconds = g.ToSeconds + Move(t) })] },
            })],
            Presence = [.. state.Presence.Select(p => p with { AtSeconds = p.AtSeconds + lead.TotalSeconds })],
        }, placed);
    }

    private static TimeSpan Shift(SpoolTrack track) => TimeSpan.FromSeconds(track.ShiftSeconds);

    private static long Frames(IReadOnlyDictionary<string, WebmSpoolSummary> summaries, SpoolTrack track) =>
        summaries.TryGetValue(track.File, out WebmSpoolSummary? s) ? s.Frames : 0;

    private static TimeSpan RecordingLength(SpoolState state, IReadOnlyDictionary<string, WebmSpoolSummary> summaries)
    {
        TimeSpan lastFrame = summaries.Values.Where(s => s.LastFrame is not null).Select(s => s.LastFrame!.Value + LastFrameLength)
            .DefaultIfEmpty(TimeSpan.Zero).Max();
        if (state.End is null) return lastFrame;
        // Sealed: the recording lasted until intake stopped, even if the last minutes were silent.
        TimeSpan untilStop = state.End.MediaStoppedAt - state.StartedAt;
        return untilStop > lastFrame ? untilStop : lastFrame;
    }

    private RecordingManifest BuildManifest(SpoolState state, IReadOnlyDictionary<string, WebmSpoolSummary> summaries,
        IReadOnlyDictionary<string, (string Blob, TimeSpan Offset)> participantFiles, string? compositeBlob, List<string> problems)
    {
        TimeSpan length = RecordingLength(state, summaries);
        bool recovered = state.End is null;
        var tracks = state.Tracks.Select(t =>
        {
            summaries.TryGetValue(t.File, out WebmSpoolSummary? s);
            ManifestTrackCounters? counters = t.Counters is { } c
                ? new ManifestTrackCounters(c.FramesReceived, c.FramesAfterLoss, c.EncryptedFramesDropped, c.FramesDroppedBeforeKeyFrame,
                    c.FramesDroppedOutOfOrder, c.KeyFrameRequests, [.. c.Gaps.Select(g => new ManifestGap(Round(g.FromSeconds), Round(g.ToSeconds), g.Cause))])
                : null;
            return new ManifestTrack(t.TrackId, t.ParticipantId, t.Kind, t.Codec, $"{state.BlobPrefix}/tracks/{t.File}",
                Seconds(s?.FirstFrame), Seconds(s?.LastFrame + LastFrameLength), s?.Frames ?? 0, s?.KeyFrames ?? 0, counters);
        }).ToList();

        var ids = state.Tracks.Select(t => t.ParticipantId).Concat(state.Presence.Select(p => p.ParticipantId)).Distinct(StringComparer.Ordinal);
        var participants = ids.Select(id =>
        {
            string? name = state.Tracks.FirstOrDefault(t => t.ParticipantId == id && t.DisplayName is not null)?.DisplayName
                ?? state.Presence.FirstOrDefault(p => p.ParticipantId == id && p.DisplayName is not null)?.DisplayName;
            double? end = tracks.Where(t => t.ParticipantId == id && t.EndSeconds is not null).Select(t => t.EndSeconds).DefaultIfEmpty(null).Max();
            bool hasFile = participantFiles.TryGetValue(id, out var file);
            return new ManifestParticipant(id, name, hasFile ? file.Blob : null, hasFile ? Round(file.Offset.TotalSeconds) : null, end,
                [.. state.Presence.Where(p => p.ParticipantId == id).Select(p => new ManifestPresence(p.Event, Round(p.AtSeconds)))]);
        }).ToList();

        string endReason = state.End?.Reason ?? "recovered-after-crash";
        string? reasonCode = state.End?.ReasonCode;
        IReadOnlyList<DecisionAuditEntry> decisions = audit?.Query(state.ConferenceId) ?? [];
        return new RecordingManifest(
            RecordingManifest.CurrentSchema, state.TenantId, state.ConferenceId, state.GatewayId, state.StartedAt,
            state.End?.EndedAt ?? state.StartedAt + length, Round(length.TotalSeconds), endReason, reasonCode,
            reasonCode is null ? null : SafeDescribe(reasonCode), state.End?.MediaStoppedAt, recovered, sink.Description,
            participants, tracks, compositeBlob,
            [.. (state.End?.EncryptedMedia ?? []).Select(e => new ManifestEncryptedTrack(e.ParticipantId, e.TrackId, e.Format, e.At))],
            state.End?.FramesLostInQueue, decisions, [.. problems]);
    }

    private static string? SafeDescribe(string code) => ReasonCodes.InPrecedenceOrder.Contains(code) ? ReasonCodes.Describe(code) : null;

    private static double? Seconds(TimeSpan? t) => t is { } v ? Round(v.TotalSeconds) : null;

    private static double Round(double seconds) => Math.Round(seconds, 3);

    private static string ContentType(string kind) => kind == "audio" ? "audio/webm" : "video/webm";

    private static string FormatLength(TimeSpan t) => t.TotalMinutes >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds} s")
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s");

    private Task UploadFileAsync(string path, string blob, string contentType, CancellationToken cancellationToken) =>
        RetryAsync(async ct =>
        {
            GrowingFileUpload upload = await GrowingFileUpload.OpenAsync(sink, path, blob, contentType, options.UploadBlockSize, ct).ConfigureAwait(false);
            await upload.CompleteAsync(ct).ConfigureAwait(false);
        }, blob, cancellationToken);

    /// <summary>Retries a store operation through an outage, backing off from 1 s to 15 s, for at most the retry window.</summary>
    private async Task RetryAsync(Func<CancellationToken, Task> operation, string blob, CancellationToken cancellationToken)
    {
        DateTimeOffset giveUpAt = time.GetUtcNow() + options.UploadRetryWindow;
        TimeSpan delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await operation(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && time.GetUtcNow() + delay < giveUpAt)
            {
                LogRetrying(logger, blob, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
            }
        }
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        BlobStorageException storage => storage.IsTransient,
        HttpRequestException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // a per-request timeout
        IOException => true,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload of {Blob} failed, retrying in {Seconds} s: {Error}")]
    private static partial void LogRetrying(ILogger logger, string blob, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {GatewayId} finished: {Summary}")]
    private static partial void LogFinished(ILogger logger, string gatewayId, string summary);
}
