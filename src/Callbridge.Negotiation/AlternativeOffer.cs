namespace Callbridge.Negotiation;

/// <summary>What the host can use instead. <see cref="ProvidedByService"/> is false when the alternative
/// exists outside this service (the host must not read it as a feature we offer).</summary>
public sealed record AlternativeOffer(string Code, string Description, bool ProvidedByService)
{
    public const string ClientSideCaptionsCode = "client_side_captions";
    public const string ParticipantLocalRecordingCode = "participant_local_recording";
    public const string JoinFromSupportedClientCode = "join_from_supported_client";
}
