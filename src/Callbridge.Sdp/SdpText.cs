using System.Buffers;
using System.Globalization;

namespace Callbridge.Sdp;

/// <summary>Small grammar helpers shared by the attribute types (RFC 8866 §9 ABNF).</summary>
internal static class SdpText
{
    // RFC 8866 §9: token-char is %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E.
    private static readonly SearchValues<char> TokenChars = SearchValues.Create(
        "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static string[] Fields(string value) => value.Split(' ', StringSplitOptions.None);

    public static bool IsToken(string value) => value.Length > 0 && !value.AsSpan().ContainsAnyExcept(TokenChars);

    /// <summary>Non-empty, no spaces or control characters.</summary>
    public static bool IsWord(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (c <= ' ' || c == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryInt(string value, int min, int max, out int result) =>
        value.Length is > 0 and <= 10 && !value.AsSpan().ContainsAnyExceptInRange('0', '9')
        && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) && result >= min && result <= max
        || Fail(out result);

    public static bool TryUInt(string value, out uint result) =>
        value.Length is > 0 and <= 10 && !value.AsSpan().ContainsAnyExceptInRange('0', '9')
        && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) || Fail(out result);

    public static bool TryULong(string value, out ulong result) =>
        value.Length is > 0 and <= 20 && !value.AsSpan().ContainsAnyExceptInRange('0', '9')
        && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result) || Fail(out result);

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static bool Fail<T>(out T result)
        where T : struct
    {
        result = default;
        return false;
    }
}
