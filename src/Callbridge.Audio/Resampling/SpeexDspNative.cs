using System.Runtime.InteropServices;
using Callbridge.Audio.Native;

namespace Callbridge.Audio.Resampling;

/// <summary>P/Invoke surface of libspeexdsp's resampler (speex/speex_resampler.h, speexdsp 1.2).</summary>
internal static unsafe partial class SpeexDspNative
{
    [LibraryImport(NativeLibraries.SpeexDsp)]
    internal static partial SpeexResamplerHandle speex_resampler_init(uint nbChannels, uint inRate, uint outRate, int quality, out int err);

    [LibraryImport(NativeLibraries.SpeexDsp)]
    internal static partial void speex_resampler_destroy(IntPtr st);

    [LibraryImport(NativeLibraries.SpeexDsp)]
    internal static partial int speex_resampler_process_int(SpeexResamplerHandle st, uint channelIndex, short* input, ref uint inLen, short* output, ref uint outLen);

    [LibraryImport(NativeLibraries.SpeexDsp)]
    internal static partial int speex_resampler_process_interleaved_int(SpeexResamplerHandle st, short* input, ref uint inLen, short* output, ref uint outLen);

    [LibraryImport(NativeLibraries.SpeexDsp)]
    internal static partial int speex_resampler_get_input_latency(SpeexResamplerHandle st);

    [LibraryImport(NativeLibraries.SpeexDsp)]
    internal static partial int speex_resampler_skip_zeros(SpeexResamplerHandle st);

    [LibraryImport(NativeLibraries.SpeexDsp)]
    internal static partial int speex_resampler_reset_mem(SpeexResamplerHandle st);
}
