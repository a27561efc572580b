namespace Callbridge.Sdp;

/// <summary>A parse error and the 1-based line it was found on (0 when it concerns the whole text).</summary>
public readonly record struct SdpParseFailure(SdpParseError Error, int LineNumber)
{
    public override string ToString() => LineNumber > 0 ? $"{Error} at line {LineNumber}" : Error.ToString();
}
