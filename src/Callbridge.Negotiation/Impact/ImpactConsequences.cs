using System.Globalization;

namespace Callbridge.Negotiation.Impact;

/// <summary>
/// What the host loses, in the words the console shows before E2EE is turned on: one short clause per kind
/// of feature that will stop ("the recording will stop", "2 phone callers will be disconnected",
/// "server captions will stop"), in a fixed order so the preview reads the same every time.
/// </summary>
public static class ImpactConsequences
{
    public static IReadOnlyList<string> Describe(IEnumerable<GatewayImpact> willStop)
    {
        ArgumentNullException.ThrowIfNull(willStop);
        int recordings = 0, phones = 0, captions = 0, presence = 0;
        foreach (GatewayImpact impact in willStop)
        {
            switch (impact.Gateway.Kind)
            {
                case GatewayKind.Recording: recordings++; break;
                case GatewayKind.PstnDialIn or GatewayKind.PstnDialOut: phones++; break;
                case GatewayKind.ServerCaptions: captions++; break;
                default: presence++; break;
            }
        }

        var clauses = new List<string>(4);
        if (recordings > 0)
        {
            clauses.Add(recordings == 1 ? "the recording will stop" : $"{Count(recordings)} recordings will stop");
        }

        if (phones > 0)
        {
            clauses.Add(phones == 1 ? "1 phone caller will be disconnected" : $"{Count(phones)} phone callers will be disconnected");
        }

        if (captions > 0)
        {
            clauses.Add("server captions will stop");
        }

        if (presence > 0)
        {
            clauses.Add(presence == 1 ? "1 presence bot will leave" : $"{Count(presence)} presence bots will leave");
        }

        return clauses;
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
