using System.Text;

namespace Callbridge.Gateways.Captions;

/// <summary>Turns ids from the SFU or the API into one safe blob-name segment.</summary>
internal static class NameSafety
{
    /// <summary>Letters, digits, '-' and '_' stay; anything else becomes '_'; never empty; at most 80 chars.</summary>
    public static string Segment(string value)
    {
        var b = new StringBuilder(Math.Min(value.Length, 80));
        foreach (char c in value)
        {
            if (b.Length == 80)
            {
                break;
            }

            b.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return b.Length == 0 ? "_" : b.ToString();
    }
}
