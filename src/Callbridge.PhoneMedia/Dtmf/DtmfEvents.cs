namespace Callbridge.PhoneMedia;

/// <summary>RFC 4733 §3.2 DTMF event codes: 0-9 the digits, 10 '*', 11 '#', 12-15 'A'-'D'.</summary>
public static class DtmfEvents
{
    private const string Digits = "0123456789*#ABCD";

    public static bool TryGetDigit(int eventCode, out char digit)
    {
        if ((uint)eventCode < (uint)Digits.Length)
        {
            digit = Digits[eventCode];
            return true;
        }

        digit = '\0';
        return false;
    }

    public static bool TryGetEvent(char digit, out byte eventCode)
    {
        int index = Digits.IndexOf(char.ToUpperInvariant(digit), StringComparison.Ordinal);
        eventCode = (byte)Math.Max(index, 0);
        return index >= 0;
    }
}
