using Callbridge.Speech.Metrics;

namespace Callbridge.Speech.Tests;

public class WordErrorRateTests
{
    [Fact]
    public void NormalizesCaseAndPunctuation() =>
        Assert.Equal(["can", "you", "hear", "me", "now", "it's", "ok"], WordErrorRate.Normalize("Can you hear me, now? It's OK!"));

    [Theory]
    [InlineData("the cat sat", "the cat sat", 0, 0, 0)]
    [InlineData("the cat sat", "the bat sat", 1, 0, 0)]
    [InlineData("the cat sat", "the sat", 0, 1, 0)]
    [InlineData("the cat sat", "the cat sat down", 0, 0, 1)]
    [InlineData("the cat sat on the mat", "cat sat on a mat today", 1, 1, 1)]
    [InlineData("a b c", "", 0, 3, 0)]
    public void CountsSubstitutionsDeletionsInsertions(string reference, string hypothesis, int s, int d, int i)
    {
        WordErrors errors = WordErrorRate.Compute(reference, hypothesis);
        Assert.Equal((s, d, i), (errors.Substitutions, errors.Deletions, errors.Insertions));
        Assert.Equal((double)(s + d + i) / WordErrorRate.Normalize(reference).Count, errors.Rate, 9);
    }

    [Fact]
    public void TotalsAddUp()
    {
        WordErrors total = WordErrorRate.Compute("one two three four", "one two tree four") + WordErrorRate.Compute("five six", "five six seven");
        Assert.Equal(2, total.Edits);
        Assert.Equal(6, total.ReferenceWords);
        Assert.Equal(2 / 6.0, total.Rate, 9);
        Assert.Equal(0, WordErrorRate.Compute("", "").Rate);
        Assert.Equal(1, WordErrorRate.Compute("", "noise").Rate);
    }
}
