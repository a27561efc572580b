namespace Callbridge.Speech.Metrics;

/// <summary>Edit counts of a hypothesis against a reference, in words.</summary>
public readonly record struct WordErrors(int Substitutions, int Deletions, int Insertions, int ReferenceWords)
{
    public int Edits => Substitutions + Deletions + Insertions;

    /// <summary>(S + D + I) / N; 0 for an empty reference matched by an empty hypothesis.</summary>
    public double Rate => ReferenceWords == 0 ? (Edits == 0 ? 0 : 1) : (double)Edits / ReferenceWords;

    public static WordErrors operator +(WordErrors a, WordErrors b) =>
        new(a.Substitutions + b.Substitutions, a.Deletions + b.Deletions, a.Insertions + b.Insertions, a.ReferenceWords + b.ReferenceWords);
}
