using System.Text;

namespace Callbridge.Gateways.Recording.Spool;

/// <summary>Turns ids from the SFU or the API into one safe file-name and blob-name segment.</summary>
internal static class NameSafety
{
    /// <summary>Letters, digits, '-' and '_' stay; anything else becomes '_'; never empty, never starts with '.'; at most 80 chars.</summary>
    public static string Segment(string value)
    {
        var b = new StringBuilder(Math.Min(value.Length, 80));
        foreach (char c in value)
        {
            if (b.Length == 80) break;
            b.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }
        return b.Length == 0 ? "_" : b.ToString();
    }
}
