namespace Callbridge.Gateways.Sip;

/// <summary>
/// An allow-list entry for dial-out numbers: '+' and digits match themselves, 'X' matches any one digit, and a
/// trailing '*' matches any further digits ("+1555XXXXXXX", "+4930*"). Numbers are compared after removing
/// visual separators (space, '-', '.', '(', ')'), so what the trunk receives is exactly what was checked.
/// </summary>
internal sealed class DestinationPattern
{
    private readonly string _body;
    private readonly bool _prefix;

    private DestinationPattern(string body, bool prefix)
    {
        _body = body;
        _prefix = prefix;
    }

    public static bool TryParse(string text, out DestinationPattern pattern)
    {
        pattern = null!;
        if (string.IsNullOrWhiteSpace(text)) return false;
        string t = text.Trim();
        bool prefix = t.EndsWith('*');
        string body = prefix ? t[..^1] : t;
        if (body.Length == 0 || body.Length > 20) return false;
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (!(char.IsAsciiDigit(c) || c == 'X' || c == 'x' || (c == '+' && i == 0))) return false;
        }
        pattern = new DestinationPattern(body.ToUpperInvariant(), prefix);
        return true;
    }

    public bool Matches(string number)
    {
        if (number.Length < _body.Length || (!_prefix && number.Length != _body.Length)) return false;
        for (int i = 0; i < _body.Length; i++)
        {
            char p = _body[i];
            if (p == 'X' ? !char.IsAsciiDigit(number[i]) : p != number[i]) return false;
        }
        for (int i = _body.Length; i < number.Length; i++)
            if (!char.IsAsciiDigit(number[i])) return false;
        return true;
    }

    /// <summary>"+1 (555) 010-0199" -> "+15550100199"; null when anything else than digits, one leading '+' and
    /// separators is present (a SIP URI, letters, '#', '*': never dialled).</summary>
    public static string? Normalize(string destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var chars = new List<char>(destination.Length);
        foreach (char c in destination.Trim())
        {
            if (char.IsAsciiDigit(c) || (c == '+' && chars.Count == 0)) chars.Add(c);
            else if (c is ' ' or '-' or '.' or '(' or ')') continue;
            else return null;
        }
        int digits = chars.Count(char.IsAsciiDigit);
        // E.164 allows at most 15 digits (ITU-T E.164 §6.1); 3 is the shortest service number.
        return digits is >= 3 and <= 15 ? new string([.. chars]) : null;
    }
}
