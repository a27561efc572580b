using Callbridge.Sip.Message;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Transactions;

/// <summary>What client and server transactions share (§17): the request that created it, where it goes, its
/// state, and its three timers (retransmission, transaction timeout, and the linger before it is forgotten).
/// All state changes happen under the owning layer's lock; timers run on the layer's TimeProvider.</summary>
public abstract class SipTransaction
{
    private ITimer? _retransmit, _timeout, _linger;

    private protected SipTransaction(SipTransactionLayer layer, SipMessage request, SipRemote remote, string key, SipTransactionState initialState)
    {
        Layer = layer;
        Request = request;
        Remote = remote;
        Key = key;
        IsInvite = request.Method == "INVITE";
        State = initialState;
    }

    public SipMessage Request { get; }
    public SipRemote Remote { get; }
    public bool IsInvite { get; }
    public SipTransactionState State { get; private protected set; }
    public SipMessage? LastResponse { get; private protected set; }
    internal string Key { get; }
    private protected SipTransactionLayer Layer { get; }

    /// <summary>The current retransmission interval (Timers A, E, G).</summary>
    private protected TimeSpan RetransmitInterval { get; private set; }

    private protected void StartRetransmitting(Action onTimer, TimeSpan firstInterval)
    {
        RetransmitInterval = firstInterval;
        _retransmit = Layer.Time.CreateTimer(_ => Layer.Locked(onTimer), null, firstInterval, Timeout.InfiniteTimeSpan);
    }

    private protected void RetransmitAgainAfter(TimeSpan interval)
    {
        RetransmitInterval = interval;
        _retransmit?.Change(interval, Timeout.InfiniteTimeSpan);
    }

    private protected void StartTimeout(Action onTimer, TimeSpan after) =>
        _timeout = Layer.Time.CreateTimer(_ => Layer.Locked(onTimer), null, after, Timeout.InfiniteTimeSpan);

    private protected void StopRetransmitAndTimeout()
    {
        _retransmit?.Dispose();
        _timeout?.Dispose();
    }

    /// <summary>Keeps the transaction for <paramref name="duration"/> to absorb retransmissions, then terminates it.</summary>
    private protected void Linger(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) { Terminate(); return; }
        _linger = Layer.Time.CreateTimer(_ => Layer.Locked(Terminate), null, duration, Timeout.InfiniteTimeSpan);
    }

    internal void Terminate()
    {
        if (State == SipTransactionState.Terminated) return;
        State = SipTransactionState.Terminated;
        StopRetransmitAndTimeout();
        _linger?.Dispose();
        OnTerminated();
    }

    /// <summary>Called once, under the layer's lock, when the transaction ends.</summary>
    private protected abstract void OnTerminated();
}
