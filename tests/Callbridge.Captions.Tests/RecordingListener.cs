using Callbridge.Gateways;

namespace Callbridge.Captions.Tests;

/// <summary>Keeps what a pipeline delivered, in arrival order.</summary>
internal sealed class RecordingListener : ICaptionListener
{
    private readonly Lock _gate = new();
    private readonly List<CaptionUpdate> _captions = [];
    private readonly List<CaptionNotice> _notices = [];

    public Action<CaptionUpdate>? OnEach { get; set; }

    public IReadOnlyList<CaptionUpdate> Captions
    {
        get
        {
            lock (_gate)
            {
                return [.. _captions];
            }
        }
    }

    public IReadOnlyList<CaptionNotice> Notices
    {
        get
        {
            lock (_gate)
            {
                return [.. _notices];
            }
        }
    }

    public void OnCaption(CaptionUpdate caption)
    {
        lock (_gate)
        {
            _captions.Add(caption);
        }

        OnEach?.Invoke(caption);
    }

    public void OnNotice(CaptionNotice notice)
    {
        lock (_gate)
        {
            _notices.Add(notice);
        }
    }

    public async Task WaitForAsync(Func<RecordingListener, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The expected captions did not arrive in time.");
            }

            await Task.Delay(10);
        }
    }
}
