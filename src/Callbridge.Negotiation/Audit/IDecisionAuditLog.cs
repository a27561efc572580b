namespace Callbridge.Negotiation.Audit;

/// <summary>Where every decision and leave step is recorded. Implementations are safe for concurrent use.</summary>
public interface IDecisionAuditLog
{
    void Append(DecisionAuditEntry entry);

    /// <summary>The most recent <paramref name="maxEntries"/> entries of one conference, oldest first.</summary>
    IReadOnlyList<DecisionAuditEntry> Query(string conferenceId, int maxEntries = 1000);
}
