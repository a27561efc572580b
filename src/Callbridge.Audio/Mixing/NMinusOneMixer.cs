namespace Callbridge.Audio.Mixing;

/// <summary>
/// Sums up to <see cref="Capacity"/> mono streams of equal frame size and gives each listener the mix
/// of everyone but itself ("N-1"), saturated to 16 bits. The full sum is computed once per frame in
/// 32 bits, and each listener's mix is that sum minus its own input, so cost is O(N) per frame rather
/// than O(N^2). Buffers are allocated once; <see cref="Mix"/> and <see cref="WriteMixFor"/> allocate nothing.
/// Invariants: <c>_sum[i]</c> is the sum of the inputs of all active slots as of the last <see cref="Mix"/>;
/// an inactive slot's input buffer is ignored. Not thread-safe: one mixing loop owns it.
/// </summary>
public sealed class NMinusOneMixer
{
    private readonly short[][] _inputs;
    private readonly bool[] _active;
    private readonly int[] _sum;

    public NMinusOneMixer(int capacity, int frameSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameSamples);
        // 32-bit sums cannot overflow below 65536 full-scale inputs.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 65535);
        Capacity = capacity;
        FrameSamples = frameSamples;
        _inputs = new short[capacity][];
        for (int i = 0; i < capacity; i++)
        {
            _inputs[i] = new short[frameSamples];
        }

        _active = new bool[capacity];
        _sum = new int[frameSamples];
    }

    public int Capacity { get; }

    public int FrameSamples { get; }

    /// <summary>The buffer into which slot <paramref name="slot"/>'s frame is written before <see cref="Mix"/>.</summary>
    public Span<short> GetInput(int slot) => _inputs[slot];

    /// <summary>Marks a slot as contributing (a participant with audio this frame) or not.</summary>
    public void SetActive(int slot, bool active) => _active[slot] = active;

    public bool IsActive(int slot) => _active[slot];

    /// <summary>Copies <paramref name="frame"/> into the slot's input and marks it active; a short frame is padded with silence.</summary>
    public void SetInput(int slot, ReadOnlySpan<short> frame)
    {
        Span<short> input = _inputs[slot];
        int n = Math.Min(frame.Length, input.Length);
        frame[..n].CopyTo(input);
        input[n..].Clear();
        _active[slot] = true;
    }

    /// <summary>Computes the sum of every active input for this frame.</summary>
    public void Mix()
    {
        Span<int> sum = _sum;
        sum.Clear();
        for (int slot = 0; slot < _inputs.Length; slot++)
        {
            if (!_active[slot])
            {
                continue;
            }

            ReadOnlySpan<short> input = _inputs[slot];
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += input[i];
            }
        }
    }

    /// <summary>Writes everyone-but-<paramref name="listener"/> into <paramref name="output"/> (length <see cref="FrameSamples"/>).</summary>
    public void WriteMixFor(int listener, Span<short> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, FrameSamples);
        ReadOnlySpan<int> sum = _sum;
        if (!_active[listener])
        {
            for (int i = 0; i < sum.Length; i++)
            {
                output[i] = Saturate(sum[i]);
            }

            return;
        }

        ReadOnlySpan<short> own = _inputs[listener];
        for (int i = 0; i < sum.Length; i++)
        {
            output[i] = Saturate(sum[i] - own[i]);
        }
    }

    /// <summary>Writes the mix of every active input (e.g. for a recorder).</summary>
    public void WriteFullMix(Span<short> output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(output.Length, FrameSamples);
        ReadOnlySpan<int> sum = _sum;
        for (int i = 0; i < sum.Length; i++)
        {
            output[i] = Saturate(sum[i]);
        }
    }

    internal static short Saturate(int value) => (short)Math.Clamp(value, short.MinValue, short.MaxValue);
}
