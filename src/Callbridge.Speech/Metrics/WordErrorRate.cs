using System.Text;

namespace Callbridge.Speech.Metrics;

/// <summary>
/// Word error rate: Levenshtein alignment over normalized words (lower case, letters, digits and
/// apostrophes kept, everything else a word break).
/// </summary>
public static class WordErrorRate
{
    public static IReadOnlyList<string> Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c) || c == '\'')
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    public static WordErrors Compute(string reference, string hypothesis) =>
        Compute(Normalize(reference), Normalize(hypothesis));

    public static WordErrors Compute(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        int n = reference.Count;
        int m = hypothesis.Count;
        // cost[i, j] with back-pointers reconstructed from the table afterwards.
        var cost = new int[n + 1, m + 1];
        for (int i = 0; i <= n; i++)
        {
            cost[i, 0] = i;
        }

        for (int j = 0; j <= m; j++)
        {
            cost[0, j] = j;
        }

        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                int substitute = cost[i - 1, j - 1] + (string.Equals(reference[i - 1], hypothesis[j - 1], StringComparison.Ordinal) ? 0 : 1);
                int delete = cost[i - 1, j] + 1;
                int insert = cost[i, j - 1] + 1;
                cost[i, j] = Math.Min(substitute, Math.Min(delete, insert));
            }
        }

        int s = 0, d = 0, ins = 0;
        int a = n, b = m;
        while (a > 0 || b > 0)
        {
            if (a > 0 && b > 0 && cost[a, b] == cost[a - 1, b - 1] + (string.Equals(reference[a - 1], hypothesis[b - 1], StringComparison.Ordinal) ? 0 : 1))
            {
                if (!string.Equals(reference[a - 1], hypothesis[b - 1], StringComparison.Ordinal))
                {
                    s++;
                }

                a--;
                b--;
            }
            else if (a > 0 && cost[a, b] == cost[a - 1, b] + 1)
            {
                d++;
                a--;
            }
            else
            {
                ins++;
                b--;
            }
        }

        return new WordErrors(s, d, ins, n);
    }
}
