namespace Callbridge.PhoneMedia;

/// <summary>
/// Whether 8 kHz audio is a pause: the phone playout and the room's mix take a delay a burst left out of pauses
/// first, where nobody hears it go.
/// </summary>
internal static class PauseLevel
{
    /// <summary>
    /// Mean square below which audio counts as quiet: about -45 dBFS RMS, under the level of speech on a phone
    /// line or a browser's microphone and above the idle noise of G.711 silence.
    /// </summary>
    public const long QuietMeanSquare = 184 * 184;

    /// <summary>Whether <paramref name="first"/> followed by <paramref name="second"/> (a ring's two pieces) is quiet as a whole.</summary>
    public static bool IsQuiet(ReadOnlySpan<short> first, ReadOnlySpan<short> second)
    {
        int samples = first.Length + second.Length;
        if (samples == 0)
        {
            return false;
        }

        return SumOfSquares(first) + SumOfSquares(second) < QuietMeanSquare * samples;
    }

    private static long SumOfSquares(ReadOnlySpan<short> samples)
    {
        long sum = 0;
        foreach (short x in samples)
        {
            sum += x * x;
        }

        return sum;
    }
}
