using Callbridge.Negotiation;
using Callbridge.Negotiation.Leave;

namespace Callbridge.Gateways;

/// <summary>
/// One running server-side participant in one conference. It obeys a leave-now order through
/// <see cref="IE2eeLeaveHandler"/> (stop media at once, finalize what came before, record the reason).
/// </summary>
public interface IGateway : IE2eeLeaveHandler, IAsyncDisposable
{
    string GatewayId { get; }

    string ConferenceId { get; }

    GatewayKind Kind { get; }

    /// <summary>Whether this gateway reads decoded media (everything but presence-only bots).</summary>
    bool NeedsDecodedMedia { get; }

    GatewayRunState State { get; }

    /// <summary>Completes once the gateway has left and its output is final (never faults: failures are an outcome).</summary>
    Task<GatewayOutcome> Completion { get; }

    /// <summary>Leaves normally and finalizes its output; returns when <see cref="Completion"/> has.</summary>
    Task<GatewayOutcome> StopAsync(CancellationToken cancellationToken);
}
