using Callbridge.Captions;
using Callbridge.ClientCaptions.Rendering;
using Callbridge.Gateways;

namespace Callbridge.ClientCaptions.Tests.Rendering;

public sealed class CaptionTerminalTests
{
    private const string Up = "\u001b[";

    [Fact]
    public void On_a_terminal_partials_are_redrawn_in_place_and_the_final_replaces_them()
    {
        var text = new StringWriter();
        var terminal = new CaptionTerminal(text, interactive: true);
        terminal.OnCaption(Partial("a", "Alice", "the"));
        terminal.OnCaption(Partial("a", "Alice", "the weather"));
        terminal.OnCaption(Final("a", "Alice", "the weather is nice"));

        Assert.Equal(
            "Alice: the\n" +
            "\r" + Up + "1A" + Up + "J" + "Alice: the weather\n" +
            "\r" + Up + "1A" + Up + "J" + "Alice: the weather is nice\n",
            text.ToString());
    }

    [Fact]
    public void Two_speakers_talking_at_once_each_keep_a_live_line_under_the_finals()
    {
        var text = new StringWriter();
        var terminal = new CaptionTerminal(text, interactive: true);
        terminal.OnCaption(Partial("a", "Alice", "hello"));
        terminal.OnCaption(Partial("b", null, "good"));
        text.GetStringBuilder().Clear();
        terminal.OnCaption(Final("a", "Alice", "hello there"));

        // Both live lines erased, Alice's final written, Bob's (no display name: his id) partial drawn again.
        Assert.Equal("\r" + Up + "2A" + Up + "J" + "Alice: hello there\nb: good\n", text.ToString());
    }

    [Fact]
    public void Piped_output_gets_plain_final_lines_only()
    {
        var text = new StringWriter();
        var terminal = new CaptionTerminal(text, interactive: false);
        terminal.OnCaption(Partial("a", "Alice", "the"));
        terminal.OnCaption(Final("a", "Alice", "the weather is nice"));
        terminal.OnCaption(Final("a", "Alice", ""));
        terminal.OnNotice(new CaptionNotice(CaptionNoticeKind.SpeakerStarted, "a", TimeSpan.Zero, "Captioning Alice."));
        terminal.CannotDecrypt("b", "Bob", "the key does not open it.");

        Assert.Equal(
            "Alice: the weather is nice\n" +
            "[captions] Cannot decrypt Bob's media: the key does not open it. No captions for Bob.\n",
            text.ToString());
        Assert.DoesNotContain("\u001b", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_partial_is_cut_to_one_row_keeping_its_newest_words()
    {
        var text = new StringWriter();
        var terminal = new CaptionTerminal(text, interactive: true, () => 30);
        terminal.OnCaption(Partial("a", "Alice", "one two three four five six seven eight nine ten"));
        string line = text.ToString().TrimEnd('\n');
        Assert.Equal(29, line.Length);
        Assert.StartsWith("...", line, StringComparison.Ordinal);
        Assert.EndsWith("eight nine ten", line, StringComparison.Ordinal);
    }

    private static CaptionUpdate Partial(string id, string? name, string text) => new(id, name, id + "#1.0", text, false, TimeSpan.Zero, TimeSpan.FromSeconds(1), null);

    private static CaptionUpdate Final(string id, string? name, string text) => new(id, name, id + "#1.0", text, true, TimeSpan.Zero, TimeSpan.FromSeconds(1), 0.9);
}
