namespace Callbridge.Gateways.Sip;

/// <summary>
/// The name a phone participant has in the conference: its number with all but the last 4 digits hidden
/// ("Phone ••••••0134"), so participants can tell callers apart without the full number being shown to
/// everyone. Numbers of 4 digits or fewer, and anonymous callers, show as "Phone caller".
/// </summary>
internal static class CallerMask
{
    public static string DisplayName(string? callerNumber)
    {
        if (callerNumber is null) return "Phone caller";
        var digits = callerNumber.Where(char.IsAsciiDigit).ToArray();
        if (digits.Length <= 4) return "Phone caller";
        return "Phone " + new string('•', digits.Length - 4) + new string(digits[^4..]);
    }
}
