namespace Callbridge.Dtls;

/// <summary>DTLS role selection from the negotiated <c>a=setup</c> values (RFC 5763 §5).</summary>
public static class DtlsRoles
{
    /// <summary>
    /// The role for our final <c>a=setup</c> value: active connects (DTLS client), passive accepts
    /// (DTLS server). <c>actpass</c> is only an offer and <c>holdconn</c> means no connection, so neither
    /// yields a role.
    /// </summary>
    public static bool TryFromLocalSetup(DtlsSetup localSetup, out DtlsRole role)
    {
        switch (localSetup)
        {
            case DtlsSetup.Active:
                role = DtlsRole.Client;
                return true;
            case DtlsSetup.Passive:
                role = DtlsRole.Server;
                return true;
            default:
                role = default;
                return false;
        }
    }

    /// <summary>
    /// The setup value an answerer puts in its answer to <paramref name="remoteOffer"/>. RFC 5763 §5: an answerer
    /// to <c>actpass</c> SHOULD choose <c>active</c>, so that its ClientHello can leave with the answer.
    /// </summary>
    public static bool TryAnswer(DtlsSetup remoteOffer, out DtlsSetup localAnswer)
    {
        switch (remoteOffer)
        {
            case DtlsSetup.ActPass:
            case DtlsSetup.Passive:
                localAnswer = DtlsSetup.Active;
                return true;
            case DtlsSetup.Active:
                localAnswer = DtlsSetup.Passive;
                return true;
            default:
                localAnswer = default;
                return false;
        }
    }
}
