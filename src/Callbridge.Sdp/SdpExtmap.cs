namespace Callbridge.Sdp;

/// <summary>a=extmap (RFC 8285 §8): id 1-14 (one-byte) or 1-255 (two-byte), optional direction, URI, attributes.</summary>
public sealed record SdpExtmap(int Id, SdpDirection? Direction, string Uri, string? Attributes = null)
{
    public static bool TryParse(string value, out SdpExtmap? extmap)
    {
        extmap = null;
        string[] f = SdpText.Fields(value);
        if (f.Length < 2 || !SdpText.IsWord(f[1]))
        {
            return false;
        }

        string idPart = f[0];
        SdpDirection? direction = null;
        int slash = idPart.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!SdpDirections.TryParse(idPart[(slash + 1)..], out SdpDirection d))
            {
                return false;
            }

            direction = d;
            idPart = idPart[..slash];
        }

        if (!SdpText.TryInt(idPart, 1, 255, out int id))
        {
            return false;
        }

        extmap = new SdpExtmap(id, direction, f[1], f.Length > 2 ? string.Join(' ', f[2..]) : null);
        return true;
    }

    public override string ToString()
    {
        string id = Direction is { } d ? SdpText.Invariant($"{Id}/{d.ToAttributeName()}") : SdpText.Invariant($"{Id}");
        return Attributes is null ? $"{id} {Uri}" : $"{id} {Uri} {Attributes}";
    }
}
