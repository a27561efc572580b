namespace Callbridge.Negotiation.Leave;

public sealed class LeaveNowCoordinatorOptions
{
    /// <summary>
    /// How long a gateway has to stop, finalize what it accepted and confirm. 10 s: stopping intake is
    /// immediate; sealing a spool, writing a manifest, or playing a short prompt and sending BYE fit well
    /// inside; long work (composites, uploads) happens after the confirmation.
    /// </summary>
    public TimeSpan ConfirmDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Called for every finished order (confirmed, missed or failed), off the coordinator's loop.</summary>
    public Action<LeaveOutcome>? OnOutcome { get; set; }
}
