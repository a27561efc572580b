namespace Callbridge.Gateways.Sip;

/// <summary>
/// Keys a dial-out sends once the call is answered, e.g. a remote conference bridge's PIN: "ww1234#". Given as the
/// RFC 3966 §5.1.2 post-dial parameter on the destination ("+15550100199;postd=ww1234#"). Keys are 0-9, '*', '#',
/// 'A'-'D' (RFC 4733 §3.2 events 0-15); each 'w' waits <see cref="PauseLength"/> before the next key, so a caller
/// waits for the remote prompt with as many as it needs. Anything else refuses the dial-out before it starts.
/// </summary>
internal sealed class PostDialDigits
{
    /// <summary>The RFC 3966 parameter carrying the keys.</summary>
    public const string Parameter = ";postd=";

    /// <summary>A PIN plus pauses fits easily; a longer string is a mistake, not a use case.</summary>
    public const int MaxLength = 64;

    /// <summary>0.5 s per 'w': four of them cover a typical "enter your PIN" prompt start.</summary>
    public static readonly TimeSpan PauseLength = TimeSpan.FromMilliseconds(500);

    private PostDialDigits(string text, IReadOnlyList<PostDialStep> steps)
    {
        Text = text;
        Steps = steps;
    }

    /// <summary>As given (upper-cased A-D).</summary>
    public string Text { get; }

    /// <summary>Alternating runs of keys and pauses, in order.</summary>
    public IReadOnlyList<PostDialStep> Steps { get; }

    /// <summary>Only the keys, in order ("ww12w3#" -> "123#").</summary>
    public string Keys => string.Concat(Steps.Select(s => s.Keys));

    /// <summary>
    /// Splits "+15550100199;postd=ww1234#" into the number and its keys; a destination without the parameter has no
    /// keys. Returns false with the reason when the keys are not valid.
    /// </summary>
    public static bool TrySplit(string? destination, out string? number, out PostDialDigits? digits, out string? error)
    {
        number = destination;
        digits = null;
        error = null;
        if (destination is null) return true;
        int at = destination.IndexOf(Parameter, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return true;
        number = destination[..at];
        return TryParse(destination[(at + Parameter.Length)..], out digits, out error);
    }

    public static bool TryParse(string text, out PostDialDigits? digits, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        digits = null;
        error = null;
        if (text.Length == 0 || text.Length > MaxLength)
        {
            error = $"Post-dial digits must be 1 to {MaxLength} characters.";
            return false;
        }
        var steps = new List<PostDialStep>();
        var keys = new System.Text.StringBuilder();
        int pauses = 0;
        foreach (char c in text)
        {
            if (c is 'w' or 'W')
            {
                if (keys.Length > 0) { steps.Add(new PostDialStep(keys.ToString(), TimeSpan.Zero)); keys.Clear(); }
                pauses++;
                continue;
            }
            char key = char.ToUpperInvariant(c);
            if (!(char.IsAsciiDigit(key) || key is '*' or '#' or (>= 'A' and <= 'D')))
            {
                error = $"'{c}' is not a post-dial character: use 0-9, *, #, A-D, and w for a {PauseLength.TotalSeconds:0.#} s pause.";
                return false;
            }
            if (pauses > 0) { steps.Add(new PostDialStep(string.Empty, PauseLength * pauses)); pauses = 0; }
            keys.Append(key);
        }
        if (keys.Length > 0) steps.Add(new PostDialStep(keys.ToString(), TimeSpan.Zero));
        if (!steps.Any(s => s.Keys.Length > 0))
        {
            error = "Post-dial digits need at least one key.";
            return false;
        }
        digits = new PostDialDigits(text.ToUpperInvariant().Replace('W', 'w'), steps);
        return true;
    }
}
