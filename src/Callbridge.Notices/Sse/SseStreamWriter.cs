using System.Buffers;
using System.Globalization;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;

namespace Callbridge.Notices.Sse;

/// <summary>
/// Streams a subscription as <c>text/event-stream</c> into a response body. The host's endpoint sets the
/// content type, reads Last-Event-ID with <see cref="ParseLastEventId"/>, subscribes, and calls
/// <see cref="WriteAsync"/> until the client goes away.
/// </summary>
public static class SseStreamWriter
{
    public const string ContentType = "text/event-stream";
    public const string ReplayIncompleteEvent = "replay_incomplete";

    private static readonly byte[] KeepAliveBytes = SseFrame.KeepAlive.ToArray();
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    /// <summary>The Last-Event-ID header as a notice id; null when absent or not one of ours.</summary>
    public static long? ParseLastEventId(string? header) =>
        long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out long id) && id >= 0 ? id : null;

    /// <param name="keepAlive">A comment is written after this much silence. 15 s: below the idle
    /// timeouts of common proxies and load balancers (often 30 to 60 s).</param>
    public static async Task WriteAsync(NoticeSubscription subscription, Stream output, TimeProvider time, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(time);
        if (subscription.ReplayIncomplete)
        {
            await WriteEventAsync(output, 0, ReplayIncompleteEvent, EmptyObject, cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            bool more;
            using (var silence = new CancellationTokenSource(keepAlive, time))
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token))
            {
                try
                {
                    more = await subscription.Reader.WaitToReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await output.WriteAsync(KeepAliveBytes, cancellationToken).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (!more)
            {
                break;
            }

            while (subscription.Reader.TryRead(out NoticeEnvelope? envelope))
            {
                await WriteEventAsync(output, envelope.Id, envelope.Notice.Type, envelope.Json, cancellationToken).ConfigureAwait(false);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (subscription.Dropped is { } dropped)
        {
            NoticeEnvelope last = NoticeEnvelope.Unsequenced(dropped);
            await WriteEventAsync(output, 0, dropped.Type, last.Json, cancellationToken).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask WriteEventAsync(Stream output, long id, string type, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        int length = SseFrame.GetSerializedLength(id, type, json.Span);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int written = SseFrame.WriteTo(buffer, id, type, json.Span);
            await output.WriteAsync(buffer.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
