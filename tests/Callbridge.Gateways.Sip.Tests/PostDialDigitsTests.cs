namespace Callbridge.Gateways.Sip.Tests;

/// <summary>Post-dial keys on a dial-out destination (";postd=", RFC 3966 §5.1.2): split, validated, grouped.</summary>
public sealed class PostDialDigitsTests
{
    [Fact]
    public void Keys_and_pauses_are_grouped_in_order()
    {
        Assert.True(PostDialDigits.TryParse("ww12w3#d", out var digits, out var error), error);
        Assert.Equal(
            [new PostDialStep("", TimeSpan.FromSeconds(1)), new PostDialStep("12", TimeSpan.Zero), new PostDialStep("", TimeSpan.FromMilliseconds(500)), new PostDialStep("3#D", TimeSpan.Zero)],
            digits!.Steps);
        Assert.Equal("123#D", digits.Keys);
        Assert.Equal("ww12w3#D", digits.Text);
    }

    [Fact]
    public void Trailing_pauses_send_nothing_more()
    {
        Assert.True(PostDialDigits.TryParse("*9ww", out var digits, out _));
        Assert.Equal([new PostDialStep("*9", TimeSpan.Zero)], digits!.Steps);
    }

    [Theory]
    [InlineData("", "1 to 64")]
    [InlineData("www", "at least one key")]
    [InlineData("12p3", "'p' is not a post-dial character")]
    [InlineData("12 3", "' ' is not a post-dial character")]
    [InlineData("12E", "'E' is not a post-dial character")]
    [InlineData("1234,", "',' is not a post-dial character")]
    public void Invalid_keys_are_refused_with_the_reason(string text, string reason)
    {
        Assert.False(PostDialDigits.TryParse(text, out var digits, out var error));
        Assert.Null(digits);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_64_characters_are_refused() =>
        Assert.False(PostDialDigits.TryParse(new string('1', 65), out _, out _));

    [Theory]
    [InlineData("+15550100199", "+15550100199", null)]
    [InlineData("+15550100199;postd=ww1234#", "+15550100199", "1234#")]
    [InlineData("+1 555 010 0199;POSTD=9", "+1 555 010 0199", "9")]
    [InlineData(null, null, null)]
    public void Destinations_split_into_number_and_keys(string? destination, string? number, string? keys)
    {
        Assert.True(PostDialDigits.TrySplit(destination, out var n, out var digits, out _));
        Assert.Equal(number, n);
        Assert.Equal(keys, digits?.Keys);
    }

    [Fact]
    public void A_bad_postd_refuses_the_dial_out_before_anything_is_dialled()
    {
        Assert.False(PostDialDigits.TrySplit("+15550100199;postd=12x", out _, out _, out var error));
        Assert.Contains("'x'", error, StringComparison.Ordinal);
    }
}
