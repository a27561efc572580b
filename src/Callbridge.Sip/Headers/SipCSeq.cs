namespace Callbridge.Sip.Headers;

/// <summary>CSeq = 1*DIGIT LWS Method (§20.16). The number is below 2**31 (§8.1.1.5).</summary>
public readonly record struct SipCSeq(uint Number, string Method)
{
    public override string ToString() => Number.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Method;
}
