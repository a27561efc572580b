namespace Callbridge.Negotiation;

/// <summary>
/// What is known about end-to-end encryption in one conference. Each signal comes from a different
/// place: the room's policy (SFU room config), participants' declarations (signalling), the media
/// core's ciphertext detector (tracks whose frames looked encrypted), and the host's toggle.
/// </summary>
/// <param name="RoomRequiresE2ee">The room is configured to require E2EE (Janus <c>require_e2ee</c>).</param>
/// <param name="DeclaredE2eeParticipants">Participants that declared they send E2EE media.</param>
/// <param name="EncryptedTracksObserved">Tracks whose frames the detector observed to be encrypted.</param>
/// <param name="Toggle">The host's last switch action.</param>
/// <param name="ToggledAt">When the host switched (null when never toggled).</param>
public sealed record ConferenceE2eeState(
    bool RoomRequiresE2ee,
    int DeclaredE2eeParticipants,
    int EncryptedTracksObserved,
    E2eeToggle Toggle,
    DateTimeOffset? ToggledAt)
{
    public static ConferenceE2eeState Clear { get; } = new(false, 0, 0, E2eeToggle.NeverToggled, null);

    /// <summary>True when any signal says media in this conference is, or must be, end-to-end encrypted.</summary>
    public bool AnySignal =>
        RoomRequiresE2ee || DeclaredE2eeParticipants > 0 || EncryptedTracksObserved > 0 || Toggle == E2eeToggle.TurnedOn;

    /// <summary>The state after the host turns E2EE on at <paramref name="at"/>.</summary>
    public ConferenceE2eeState WithHostToggle(bool on, DateTimeOffset at) =>
        this with { Toggle = on ? E2eeToggle.TurnedOn : E2eeToggle.TurnedOff, ToggledAt = at };
}
