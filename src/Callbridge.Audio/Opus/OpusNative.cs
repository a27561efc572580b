using System.Runtime.InteropServices;
using Callbridge.Audio.Native;

namespace Callbridge.Audio.Opus;

/// <summary>
/// P/Invoke surface of libopus 1.3 (opus.h). The CTL entry points are C varargs; every request used
/// here takes one opus_int32 (or one opus_int32*), which the x86-64 and AArch64 Linux calling conventions
/// pass exactly like a fixed second argument, so they are declared with a fixed signature.
/// </summary>
internal static unsafe partial class OpusNative
{
    internal const int SetBitrateRequest = 4002;
    internal const int GetBitrateRequest = 4003;
    internal const int SetMaxBandwidthRequest = 4004;
    internal const int SetComplexityRequest = 4010;
    internal const int SetInbandFecRequest = 4012;
    internal const int SetPacketLossPercRequest = 4014;
    internal const int SetDtxRequest = 4016;
    internal const int SetSignalRequest = 4024;
    internal const int GetLookaheadRequest = 4027;
    internal const int ResetStateRequest = 4028;
    internal const int GetLastPacketDurationRequest = 4039;

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial OpusEncoderHandle opus_encoder_create(int fs, int channels, int application, out int error);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial void opus_encoder_destroy(IntPtr st);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial int opus_encode(OpusEncoderHandle st, short* pcm, int frameSize, byte* data, int maxDataBytes);

    [LibraryImport(NativeLibraries.Opus, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_set(OpusEncoderHandle st, int request, int value);

    [LibraryImport(NativeLibraries.Opus, EntryPoint = "opus_encoder_ctl")]
    internal static partial int opus_encoder_ctl_get(OpusEncoderHandle st, int request, out int value);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial OpusDecoderHandle opus_decoder_create(int fs, int channels, out int error);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial void opus_decoder_destroy(IntPtr st);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial int opus_decode(OpusDecoderHandle st, byte* data, int len, short* pcm, int frameSize, int decodeFec);

    [LibraryImport(NativeLibraries.Opus, EntryPoint = "opus_decoder_ctl")]
    internal static partial int opus_decoder_ctl_get(OpusDecoderHandle st, int request, out int value);

    [LibraryImport(NativeLibraries.Opus)]
    internal static partial int opus_packet_get_nb_samples(byte* packet, int len, int fs);
}
