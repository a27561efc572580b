using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Callbridge.Notices.Model;

namespace Callbridge.Notices.Webhooks;

/// <summary>
/// Posts notices to the tenant's webhook, signed (<see cref="WebhookSignature"/>), in order per conference:
/// one worker per conference delivers its notices one at a time, so notice n+1 is never sent before
/// notice n is delivered or abandoned. Conferences do not wait for each other.
/// Retries: 5xx, timeouts and network errors, with exponential backoff and equal jitter; 429 honouring
/// Retry-After; no retry on other 4xx or on redirects. Every attempt goes to the <see cref="WebhookDeliveryLog"/>.
/// </summary>
public sealed class WebhookDispatcher : IAsyncDisposable
{
    public const string NoticeIdHeader = "Callbridge-Notice-Id";
    public const string AttemptHeader = "Callbridge-Attempt";

    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly WebhookDeliveryLog _log;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly ConcurrentDictionary<string, Worker> _workers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _gate = new();
    private bool _completing;

    /// <param name="http">A client whose handler does not follow redirects (a redirect is reported, not followed).</param>
    /// <param name="random">Uniform [0, 1) for jitter; injectable so schedules can be tested.</param>
    public WebhookDispatcher(HttpClient http, WebhookOptions options, WebhookDeliveryLog log, TimeProvider time, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        _http = http;
        _options = options;
        _log = log;
        _time = time;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>Called when a notice's delivery ends (delivered, rejected, given up or dropped).</summary>
    public event Action<DeliveryRecord>? DeliveryFinished;

    /// <summary>Queues a notice for its conference. False (and a Dropped record) when that queue is full, the
    /// conference was ended, or the dispatcher is shutting down. Never blocks and never throws.</summary>
    public bool Enqueue(NoticeEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        string conference = envelope.Notice.ConferenceId;
        Worker? worker = null;
        lock (_gate)
        {
            if (!_completing)
            {
                worker = _workers.GetOrAdd(conference, c => new Worker(this, c));
            }
        }

        if (worker is not null && worker.Queue.Writer.TryWrite(envelope))
        {
            _log.Put(new DeliveryRecord(conference, envelope.Id, envelope.Notice.Type, DeliveryState.Pending, []));
            return true;
        }

        Finish(new DeliveryRecord(conference, envelope.Id, envelope.Notice.Type, DeliveryState.Dropped, []));
        return false;
    }

    /// <summary>The conference is over: its queued notices are still delivered, then its worker goes away.
    /// Notices enqueued for it afterwards are dropped.</summary>
    public void EndConference(string conferenceId)
    {
        if (_workers.TryGetValue(conferenceId, out Worker? worker))
        {
            worker.Queue.Writer.TryComplete();
            _ = worker.Run.ContinueWith(
                _ => _workers.TryRemove(KeyValuePair.Create(conferenceId, worker)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Stops accepting notices and waits until every queued one has finished.</summary>
    public async Task CompleteAsync()
    {
        lock (_gate)
        {
            _completing = true;
        }

        foreach (Worker w in _workers.Values)
        {
            w.Queue.Writer.TryComplete();
        }

        await Task.WhenAll(_workers.Values.Select(w => w.Run)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        try
        {
            await CompleteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Abandoned by shutdown; the log keeps the attempts made so far.
        }

        _shutdown.Dispose();
    }

    /// <summary>The backoff after <paramref name="failures"/> failed attempts: min(max, initial x 2^(failures-1)),
    /// then "equal jitter": half of it fixed, half uniform. The fixed half keeps a recovering receiver from
    /// being hammered; the random half spreads the retries of many conferences apart.</summary>
    internal static TimeSpan Backoff(int failures, WebhookOptions options, double random)
    {
        double ceiling = options.MaxBackoff.TotalMilliseconds;
        double exp = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        double capped = Math.Min(ceiling, exp);
        return TimeSpan.FromMilliseconds((capped / 2) + (random * capped / 2));
    }

    internal static byte[] Body(NoticeEnvelope envelope)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", envelope.Id);
            json.WritePropertyName("notice");
            json.WriteRawValue(envelope.Json.Span, skipInputValidation: true);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task DeliverAsync(string conference, NoticeEnvelope envelope, CancellationToken shutdown)
    {
        byte[] body = Body(envelope);
        var attempts = new List<DeliveryAttempt>();
        string noticeId = conference + ":" + envelope.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (int number = 1; ; number++)
        {
            DateTimeOffset started = _time.GetUtcNow();
            long t0 = _time.GetTimestamp();
            int? status = null;
            string? error = null;
            RetryConditionHeaderValue? retryAfter = null;
            using (var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint))
            using (var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, shutdown))
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Sign(_options.Secret, started.ToUnixTimeSeconds(), body));
                request.Headers.Add(NoticeIdHeader, noticeId);
                request.Headers.Add(AttemptHeader, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                try
                {
                    using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                    status = (int)response.StatusCode;
                    retryAfter = response.Headers.RetryAfter;
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !shutdown.IsCancellationRequested)
                {
                    error = "timeout";
                }
                catch (HttpRequestException ex)
                {
                    error = "network: " + ex.Message;
                }
            }

            TimeSpan latency = _time.GetElapsedTime(t0);
            DeliveryState? final = null;
            TimeSpan wait = TimeSpan.Zero;
            if (status is >= 200 and < 300)
            {
                final = DeliveryState.Delivered;
            }
            else if (status == 429)
            {
                wait = RetryAfter(retryAfter) ?? Backoff(number, _options, _random());
                if (wait > _options.MaxRetryAfter)
                {
                    final = DeliveryState.Rejected;
                }
            }
            else if (status is >= 500 || error is not null)
            {
                wait = Backoff(number, _options, _random());
            }
            else
            {
                final = DeliveryState.Rejected;
            }

            if (final is null && number >= _options.MaxAttempts)
            {
                final = DeliveryState.GaveUp;
            }

            attempts.Add(new DeliveryAttempt(number, started, status, error, latency, final is null ? wait : null));
            if (final is { } done)
            {
                Finish(new DeliveryRecord(conference, envelope.Id, envelope.Notice.Type, done, attempts.ToArray()));
                return;
            }

            _log.Put(new DeliveryRecord(conference, envelope.Id, envelope.Notice.Type, DeliveryState.Pending, attempts.ToArray()));
            await Task.Delay(wait, _time, shutdown).ConfigureAwait(false);
        }
    }

    /// <summary>RFC 9110 10.2.3: Retry-After is delay-seconds or an HTTP-date.</summary>
    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            TimeSpan until = date - _time.GetUtcNow();
            return until < TimeSpan.Zero ? TimeSpan.Zero : until;
        }

        return null;
    }

    private void Finish(DeliveryRecord record)
    {
        _log.Put(record);
        DeliveryFinished?.Invoke(record);
    }

    private sealed class Worker
    {
        public Worker(WebhookDispatcher owner, string conference)
        {
            Queue = Channel.CreateBounded<NoticeEnvelope>(new BoundedChannelOptions(owner._options.QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            Run = Task.Run(async () =>
            {
                await foreach (NoticeEnvelope envelope in Queue.Reader.ReadAllAsync(owner._shutdown.Token).ConfigureAwait(false))
                {
                    await owner.DeliverAsync(conference, envelope, owner._shutdown.Token).ConfigureAwait(false);
                }
            });
        }

        public Channel<NoticeEnvelope> Queue { get; }
        public Task Run { get; }
    }
}
