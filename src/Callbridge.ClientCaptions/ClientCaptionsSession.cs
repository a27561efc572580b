using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Callbridge.Captions;
using Callbridge.ClientCaptions.Keys;
using Callbridge.ClientCaptions.Media;
using Callbridge.ClientCaptions.Rendering;
using Callbridge.Conference;
using Callbridge.Gateways;
using Callbridge.Speech.Recognition;

namespace Callbridge.ClientCaptions;

/// <summary>
/// One participant's client-side captions: joins the conference as that participant, subscribes to everyone's
/// audio, decrypts it with the conference key (when the conference is end-to-end encrypted), captions each
/// speaker with the shared <see cref="CaptionPipeline"/>, shows the captions and writes WebVTT locally.
/// The key stays in this process: it is not logged, written or sent anywhere; the SFU only ever sees the
/// participant join and subscribe, as any participant does.
/// </summary>
public static class ClientCaptionsSession
{
    public static async Task<ClientCaptionsResult> RunAsync(
        IConferenceConnector connector,
        IStreamingRecognizer recognizer,
        ConferenceKeySource? keys,
        ClientCaptionsOptions options,
        IClientCaptionsOutput output,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(recognizer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var time = timeProvider ?? TimeProvider.System;
        using var decryptor = new AudioFrameDecryptor();
        if (keys is not null)
        {
            var initial = await keys.ReadInitialAsync(cancellationToken).ConfigureAwait(false);
            foreach (var key in initial)
            {
                decryptor.SetKey(key);
                key.Dispose();
            }

            output.Status(string.Create(CultureInfo.InvariantCulture,
                $"Using {initial.Count} conference key(s) from {keys.Description} (key index {string.Join(", ", initial.Select(k => k.Index))}); the key stays on this machine."));
        }
        else
        {
            output.Status("No conference key given: only speakers who do not use end-to-end encryption can be captioned.");
        }

        await using var session = await connector.JoinAsync(new ConferenceJoinRequest(options.ConferenceId, options.DisplayName, BotRole.Subscriber), cancellationToken).ConfigureAwait(false);
        output.Status(session.RequiresE2ee
            ? $"Joined conference {options.ConferenceId} as '{options.DisplayName}'. The room requires end-to-end encryption: audio is decrypted here, on this machine."
            : $"Joined conference {options.ConferenceId} as '{options.DisplayName}'.");
        if (session.RequiresE2ee && keys is null)
        {
            output.Status("This room requires end-to-end encryption and no key was given: nobody can be captioned.");
        }

        var names = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var participant in session.Participants)
        {
            names[participant.ParticipantId] = participant.DisplayName;
        }

        var vtt = options.WebVttPath is null ? null : new WebVttFile(options.WebVttPath);
        var listener = new PipelineListener(output, vtt);
        await using var pipeline = new CaptionPipeline(recognizer, listener, options.Pipeline, engineHealth: null, time);
        listener.Pipeline = pipeline;
        var sink = new ClientCaptionsSink(decryptor, pipeline, output, names);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string endReason = "stopped";
        var subscription = await session.SubscribeAsync(new SubscriptionRequest(Audio: true, Video: false), sink, cancellationToken).ConfigureAwait(false);
        try
        {
            Task events = FollowAsync(session.Events, session.RequiresE2ee, names, pipeline, output, reason => endReason = reason, stop);
            Task watch = keys is null
                ? Task.CompletedTask
                : keys.WatchAsync(
                    key =>
                    {
                        using (key)
                        {
                            if (decryptor.SetKey(key))
                            {
                                output.Status(string.Create(CultureInfo.InvariantCulture, $"Added conference key index {key.Index}."));
                            }
                        }
                    },
                    output.Status,
                    stop.Token);
            if (options.Duration is { } duration)
            {
                stop.CancelAfter(duration);
            }

            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            if (endReason == "stopped")
            {
                endReason = cancellationToken.IsCancellationRequested ? "stopped by the participant" : "the requested duration elapsed";
            }

            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(events, watch).ConfigureAwait(false);
        }
        finally
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        // The pipeline's own notice says "Captioning stopped: <detail>".
        var transcript = await pipeline.CompleteAsync(endReason + ".", CancellationToken.None).ConfigureAwait(false);
        vtt?.Write(transcript);
        await session.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
        if (vtt is not null)
        {
            output.Status(string.Create(CultureInfo.InvariantCulture, $"{transcript.Entries.Count} caption(s) written to {vtt.Path}."));
        }

        return new ClientCaptionsResult(transcript, endReason, sink.Statistics);
    }

    /// <summary>Keeps display names current, ends a leaver's utterance, reports a policy change, and stops when the conference ends.</summary>
    private static async Task FollowAsync(ChannelReader<ConferenceEvent> events, bool requiresE2ee, ConcurrentDictionary<string, string?> names, CaptionPipeline pipeline,
        IClientCaptionsOutput output, Action<string> ended, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var change in events.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                switch (change)
                {
                    case ParticipantJoined joined:
                        names[joined.Participant.ParticipantId] = joined.Participant.DisplayName;
                        break;
                    case ConferencePolicyChanged policy when policy.RequiresE2ee != requiresE2ee:
                        requiresE2ee = policy.RequiresE2ee;
                        output.Status(requiresE2ee
                            ? "The room now requires end-to-end encryption: speakers are captioned only if the key given opens their media."
                            : "The room no longer requires end-to-end encryption.");
                        break;
                    case ParticipantLeft left:
                        await pipeline.EndSpeakerAsync(left.ParticipantId).ConfigureAwait(false);
                        break;
                    case ConferenceEnded end:
                        ended("the conference ended: " + end.Reason);
                        await stop.CancelAsync().ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Shows every caption and notice, and rewrites the WebVTT file after each final.</summary>
    private sealed class PipelineListener(IClientCaptionsOutput output, WebVttFile? vtt) : ICaptionListener
    {
        public CaptionPipeline? Pipeline { get; set; }

        public void OnCaption(CaptionUpdate caption)
        {
            output.OnCaption(caption);
            if (caption.IsFinal && vtt is not null && Pipeline is { } pipeline)
            {
                try
                {
                    vtt.Write(pipeline.Transcript);
                }
                catch (IOException e)
                {
                    output.Status($"Cannot write {vtt.Path}: {e.Message}");
                }
            }
        }

        public void OnNotice(CaptionNotice notice) => output.OnNotice(notice);
    }
}
