using Callbridge.Audio.Native;

namespace Callbridge.Audio.Resampling;

/// <summary>
/// Streaming sample-rate converter over libspeexdsp (Debian libspeexdsp1). Keeps its filter state
/// between calls, so consecutive blocks of one stream join without clicks. Not thread-safe: one
/// instance per stream. Processing allocates nothing.
/// </summary>
public sealed class SpeexResampler : IDisposable
{
    /// <summary>
    /// speexdsp's own default (SPEEX_RESAMPLER_QUALITY_DEFAULT = 4): close to transparent for speech at a
    /// fraction of the cost of 10; 3 is its VoIP setting.
    /// </summary>
    public const int DefaultQuality = 4;

    private readonly SpeexResamplerHandle _handle;

    public SpeexResampler(int channels, int inputRate, int outputRate, int quality = DefaultQuality)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        ArgumentOutOfRangeException.ThrowIfNegative(quality);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 10);
        NativeLibraries.Ensure(NativeLibraries.SpeexDsp, NativeLibraries.SpeexDspPackage);
        _handle = SpeexDspNative.speex_resampler_init((uint)channels, (uint)inputRate, (uint)outputRate, quality, out int err);
        if (err != 0 || _handle.IsInvalid)
        {
            _handle.Dispose();
            throw new ResamplerException((ResamplerError)err);
        }

        Channels = channels;
        InputRate = inputRate;
        OutputRate = outputRate;
        Quality = quality;
    }

    public int Channels { get; }

    public int InputRate { get; }

    public int OutputRate { get; }

    public int Quality { get; }

    /// <summary>Filter delay in input samples per channel.</summary>
    public int InputLatency => SpeexDspNative.speex_resampler_get_input_latency(_handle);

    /// <summary>Output samples (all channels) that <paramref name="inputSamples"/> can produce, rounded up, plus one frame of slack.</summary>
    public int GetMaxOutputLength(int inputSamples) =>
        (int)(((long)inputSamples * OutputRate + InputRate - 1) / InputRate) + Channels;

    /// <summary>
    /// Converts interleaved <paramref name="input"/> into <paramref name="output"/>. Reports how many
    /// input samples were consumed and output samples written (all channels counted). Returns a typed
    /// error instead of throwing.
    /// </summary>
    public unsafe ResamplerError Process(ReadOnlySpan<short> input, Span<short> output, out int consumed, out int written)
    {
        uint inFrames = (uint)(input.Length / Channels);
        uint outFrames = (uint)(output.Length / Channels);
        int result;
        fixed (short* pIn = input)
        fixed (short* pOut = output)
        {
            result = Channels == 1
                ? SpeexDspNative.speex_resampler_process_int(_handle, 0, pIn, ref inFrames, pOut, ref outFrames)
                : SpeexDspNative.speex_resampler_process_interleaved_int(_handle, pIn, ref inFrames, pOut, ref outFrames);
        }

        consumed = (int)inFrames * Channels;
        written = (int)outFrames * Channels;
        return (ResamplerError)result;
    }

    /// <summary>Converts all of <paramref name="input"/>; throws when <paramref name="output"/> is too small. Returns samples written.</summary>
    public int ProcessAll(ReadOnlySpan<short> input, Span<short> output)
    {
        int total = 0;
        while (!input.IsEmpty)
        {
            ResamplerError error = Process(input, output[total..], out int consumed, out int written);
            if (error != ResamplerError.Success)
            {
                throw new ResamplerException(error);
            }

            if (consumed == 0 && written == 0)
            {
                throw new ArgumentException("Output buffer too small for the input.", nameof(output));
            }

            input = input[consumed..];
            total += written;
        }

        return total;
    }

    /// <summary>Drops the filter's initial zero output so that output sample 0 aligns with input sample 0.</summary>
    public void SkipZeros() => SpeexDspNative.speex_resampler_skip_zeros(_handle);

    /// <summary>Clears the filter memory (start of a new, unrelated stream).</summary>
    public void Reset() => SpeexDspNative.speex_resampler_reset_mem(_handle);

    public void Dispose() => _handle.Dispose();
}
