namespace Callbridge.TestSupport.Media;

/// <summary>Energy envelopes and their normalized cross-correlation: "is this the same speech, somewhat delayed?".</summary>
public static class AudioCompare
{
    /// <summary>RMS of the whole signal.</summary>
    public static double Rms(ReadOnlySpan<float> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>
    /// RMS per window of <paramref name="windowMs"/> ms. 10 ms matches speech syllable structure
    /// while being coarse enough to ignore codec phase changes (Opus, G.711 resampling).
    /// </summary>
    public static double[] EnergyEnvelope(ReadOnlySpan<float> samples, int sampleRate, int windowMs = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var window = Math.Max(1, sampleRate * windowMs / 1000);
        var envelope = new double[samples.Length / window];
        for (var w = 0; w < envelope.Length; w++)
        {
            envelope[w] = Rms(samples.Slice(w * window, window));
        }

        return envelope;
    }

    /// <summary>
    /// Highest Pearson correlation of <paramref name="a"/> against <paramref name="b"/> shifted by
    /// -<paramref name="maxLag"/>..+<paramref name="maxLag"/> windows, over the overlapping part
    /// (at least a quarter of the shorter signal). Lag &gt; 0 means b is late.
    /// </summary>
    public static (double Correlation, int Lag) NormalizedCrossCorrelation(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int maxLag)
    {
        var best = (Correlation: double.NegativeInfinity, Lag: 0);
        var minOverlap = Math.Max(2, Math.Min(a.Length, b.Length) / 4);
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            // Pair a[i] with b[i + lag].
            var start = Math.Max(0, -lag);
            var end = Math.Min(a.Length, b.Length - lag);
            if (end - start < minOverlap)
            {
                continue;
            }

            var r = Pearson(a[start..end], b[(start + lag)..(end + lag)]);
            if (r > best.Correlation)
            {
                best = (r, lag);
            }
        }

        return double.IsNegativeInfinity(best.Correlation) ? (0, 0) : best;
    }

    /// <summary>
    /// Finds each phrase of <paramref name="speech"/> (runs of energy above 5 % of its peak, split at pauses of
    /// <paramref name="minPauseWindows"/> or more, phrases shorter than 20 windows joined to the next) in
    /// <paramref name="heard"/>, as (phrase start in speech, position in heard, r). The positions are chosen
    /// together: each phrase after the first lies where the speech before it puts it, give or take
    /// <paramref name="maxShiftWindows"/>, and the chain with the highest total correlation wins. Robust to what
    /// a real-time receiver does to a pause (shorten it, stretch it), which shifts what follows and defeats one
    /// global lag, and to a phrase lost in a stall, which scores low without dragging the others along.
    /// </summary>
    public static List<(int SpeechStart, int HeardStart, double R)> PhrasesInOrder(ReadOnlySpan<double> speech, ReadOnlySpan<double> heard, int minPauseWindows = 15, int maxShiftWindows = 30)
    {
        double peak = 0;
        foreach (double v in speech)
        {
            peak = Math.Max(peak, v);
        }

        double floor = peak * 0.05;
        var phrases = new List<(int Start, int Length)>();
        int start = -1, quiet = 0;
        for (int i = 0; i <= speech.Length; i++)
        {
            bool loud = i < speech.Length && speech[i] > floor;
            if (loud)
            {
                start = start < 0 ? i : start;
                quiet = 0;
                continue;
            }

            if (start >= 0 && (++quiet >= minPauseWindows || i == speech.Length))
            {
                // A little context either side, so that the phrase's edges count too.
                int from = Math.Max(0, start - 5), end = Math.Min(speech.Length, i - quiet + 6);
                if (phrases.Count > 0 && phrases[^1].Length < 30)
                {
                    phrases[^1] = (phrases[^1].Start, end - phrases[^1].Start);
                }
                else
                {
                    phrases.Add((from, end - from));
                }

                start = -1;
                quiet = 0;
            }
        }

        int heardLength = heard.Length;
        phrases.RemoveAll(p => p.Length > heardLength);
        if (phrases.Count == 0)
        {
            return [];
        }

        // score[i][at]: phrase i's correlation with heard[at ..]; total[i][at]: the best chain ending there.
        var score = new double[phrases.Count][];
        var total = new double[phrases.Count][];
        var from0 = new int[phrases.Count][];
        for (int i = 0; i < phrases.Count; i++)
        {
            var (a, n) = phrases[i];
            score[i] = new double[heard.Length - n + 1];
            total[i] = new double[score[i].Length];
            from0[i] = new int[score[i].Length];
            for (int at = 0; at < score[i].Length; at++)
            {
                double r = Pearson(speech.Slice(a, n), heard.Slice(at, n));
                score[i][at] = double.IsNaN(r) ? 0 : r;
                if (i == 0)
                {
                    total[i][at] = score[i][at];
                    continue;
                }

                int expected = at - (a - phrases[i - 1].Start);
                var best = (At: -1, Total: double.NegativeInfinity);
                for (int p = Math.Max(0, expected - maxShiftWindows); p <= Math.Min(total[i - 1].Length - 1, expected + maxShiftWindows); p++)
                {
                    if (total[i - 1][p] > best.Total)
                    {
                        best = (p, total[i - 1][p]);
                    }
                }

                total[i][at] = best.At < 0 ? double.NegativeInfinity : best.Total + score[i][at];
                from0[i][at] = best.At;
            }
        }

        int last = phrases.Count - 1, end0 = 0;
        for (int at = 1; at < total[last].Length; at++)
        {
            end0 = total[last][at] > total[last][end0] ? at : end0;
        }

        var found = new (int, int, double)[phrases.Count];
        for (int i = last, at = end0; i >= 0; i--)
        {
            found[i] = (phrases[i].Start, at, at < 0 ? 0 : score[i][at]);
            at = at < 0 ? -1 : from0[i][at];
        }

        return [.. found];
    }

    /// <summary>
    /// <see cref="PhrasesInOrder"/> for a recording of a looped source that holds the speech more than once: each
    /// stretch of <paramref name="heard"/> two speeches long (plus twice the shift allowed, for stretched pauses),
    /// starting every speech length, is searched on its own. Every rendition lies whole in one of those stretches.
    /// The chain with the most phrases above <paramref name="match"/> (then the highest total) is returned, its
    /// positions in <paramref name="heard"/> as a whole. A stall on a loaded host costs the rendition it falls on,
    /// not the verdict on the others; every stretch's figures are returned too, for a failure message.
    /// </summary>
    public static (List<(int SpeechStart, int HeardStart, double R)> Phrases, string Renditions) PhrasesInBestRendition(
        ReadOnlySpan<double> speech, ReadOnlySpan<double> heard, double match, int minPauseWindows = 15, int maxShiftWindows = 30)
    {
        int stretch = Math.Min(heard.Length, 2 * speech.Length + 2 * maxShiftWindows);
        int step = Math.Max(1, speech.Length);
        var best = (Phrases: new List<(int SpeechStart, int HeardStart, double R)>(), Matched: -1, Total: double.NegativeInfinity);
        var renditions = new System.Text.StringBuilder();
        for (int start = 0; ; start += step)
        {
            start = Math.Min(start, heard.Length - stretch);
            var phrases = PhrasesInOrder(speech, heard.Slice(start, stretch), minPauseWindows, maxShiftWindows);
            int matched = phrases.Count(p => p.R > match);
            double total = phrases.Sum(p => p.R);
            renditions.Append(renditions.Length == 0 ? "" : "; ").Append(start * 10).Append(" ms: ").Append(matched).Append('/').Append(phrases.Count)
                .Append(" [").AppendJoin(' ', phrases.Select(p => p.R.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))).Append(']');
            if (matched > best.Matched || (matched == best.Matched && total > best.Total))
            {
                best = ([.. phrases.Select(p => (p.SpeechStart, start + p.HeardStart, p.R))], matched, total);
            }

            if (start + stretch >= heard.Length)
            {
                break;
            }
        }

        return (best.Phrases, renditions.ToString());
    }

    private static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (var i = 0; i < x.Length; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
