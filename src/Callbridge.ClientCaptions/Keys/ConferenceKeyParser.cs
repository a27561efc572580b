using System.Globalization;

namespace Callbridge.ClientCaptions.Keys;

/// <summary>
/// Key text as a participant gives it: one key per line, <c>[&lt;index&gt;=]&lt;material&gt;</c>, where the material is
/// hex (as <c>callbridge e2ee</c> prints keys) or <c>base64:</c> + base64 (as lib-jitsi-meet's key-info carries it).
/// The index defaults to 0. Blank lines and lines starting with '#' are skipped.
/// </summary>
public static class ConferenceKeyParser
{
    /// <summary>16 bytes: anything shorter is a typo or a password, not key material (lib-jitsi-meet uses 32).</summary>
    public const int MinMaterialLength = 16;

    /// <summary>64 bytes: HKDF takes any length; the bound keeps a pasted file from being taken as a key.</summary>
    public const int MaxMaterialLength = 64;

    /// <summary>True when the line carries no key (blank or a comment).</summary>
    public static bool IsSkippable(ReadOnlySpan<char> line)
    {
        line = line.Trim();
        return line.IsEmpty || line[0] == '#';
    }

    public static KeyParseError TryParse(ReadOnlySpan<char> line, out ConferenceKey? key)
    {
        key = null;
        line = line.Trim();
        int index = 0;
        int equals = line.IndexOf('=');
        bool base64 = line.StartsWith("base64:", StringComparison.OrdinalIgnoreCase);
        // "base64:...=" ends in padding: an index is only in front of the material.
        if (equals > 0 && !base64 && !line[..equals].ContainsAnyExcept("0123456789"))
        {
            if (!int.TryParse(line[..equals], NumberStyles.None, CultureInfo.InvariantCulture, out index))
            {
                return KeyParseError.BadIndex;
            }

            line = line[(equals + 1)..].Trim();
            base64 = line.StartsWith("base64:", StringComparison.OrdinalIgnoreCase);
        }

        Span<byte> material = stackalloc byte[MaxMaterialLength + 3];
        int length;
        if (base64)
        {
            var text = line["base64:".Length..];
            if (!Convert.TryFromBase64Chars(text, material, out length))
            {
                return text.Length * 3 / 4 > MaxMaterialLength ? KeyParseError.TooLong : KeyParseError.NotHexOrBase64;
            }
        }
        else
        {
            if (line.IsEmpty || line.Length % 2 != 0 || line.ContainsAnyExcept("0123456789abcdefABCDEF"))
            {
                return KeyParseError.NotHexOrBase64;
            }

            if (line.Length / 2 > MaxMaterialLength)
            {
                return KeyParseError.TooLong;
            }

            Convert.FromHexString(line, material, out _, out length);
        }

        try
        {
            if (length < MinMaterialLength)
            {
                return KeyParseError.TooShort;
            }

            if (length > MaxMaterialLength)
            {
                return KeyParseError.TooLong;
            }

            key = new ConferenceKey(index, material[..length]);
            return KeyParseError.None;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(material);
        }
    }

    /// <summary>Every key in <paramref name="text"/>; the first bad line stops parsing with its 1-based number.</summary>
    public static KeyParseError ParseAll(string text, List<ConferenceKey> keys, out int badLine)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keys);
        badLine = 0;
        int number = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            number++;
            if (IsSkippable(line))
            {
                continue;
            }

            var error = TryParse(line, out var key);
            if (error != KeyParseError.None)
            {
                badLine = number;
                return error;
            }

            keys.Add(key!);
        }

        return KeyParseError.None;
    }

    /// <summary>Plain words for an error, without any of the key text.</summary>
    public static string Explain(KeyParseError error) => error switch
    {
        KeyParseError.BadIndex => "the key index before '=' is not a number from 0 to 2147483647",
        KeyParseError.NotHexOrBase64 => "the key is neither hex nor 'base64:' followed by base64",
        KeyParseError.TooShort => string.Create(CultureInfo.InvariantCulture, $"the key is shorter than {MinMaterialLength} bytes"),
        KeyParseError.TooLong => string.Create(CultureInfo.InvariantCulture, $"the key is longer than {MaxMaterialLength} bytes"),
        _ => "no error",
    };
}
