namespace Callbridge.Negotiation.Clients;

/// <summary>Checks a participant who tries to join an E2EE conference.</summary>
public static class E2eeClientAdmission
{
    /// <summary>Null when the conference is not E2EE or the client is supported; otherwise the finding
    /// the host is told about (for unsupported and for unknown clients).</summary>
    public static UnsupportedClientFinding? Check(ParticipantClient participant, bool conferenceIsE2ee)
    {
        ArgumentNullException.ThrowIfNull(participant);
        if (!conferenceIsE2ee)
        {
            return null;
        }

        ClientAssessment assessment = E2eeClientSupport.Classify(participant.UserAgent);
        return assessment.Support switch
        {
            ClientSupport.Supported => null,
            ClientSupport.Unsupported => new(participant, assessment,
                $"{participant.DisplayName} cannot take part in this end-to-end encrypted meeting: {assessment.Reason}."),
            _ => new(participant, assessment,
                $"{participant.DisplayName} may not be able to take part in this end-to-end encrypted meeting: {assessment.Reason}."),
        };
    }
}
