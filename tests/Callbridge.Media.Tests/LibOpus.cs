using System.Runtime.InteropServices;

namespace Callbridge.Media.Tests;

/// <summary>The Debian libopus0 decoder, used to prove that depacketized Opus frames decode.</summary>
internal static partial class LibOpus
{
    private const string Library = "libopus.so.0";

    [LibraryImport(Library, EntryPoint = "opus_decoder_create")]
    private static partial IntPtr DecoderCreate(int sampleRate, int channels, out int error);

    [LibraryImport(Library, EntryPoint = "opus_decode")]
    private static unsafe partial int Decode(IntPtr decoder, byte* data, int length, short* pcm, int frameSize, int decodeFec);

    [LibraryImport(Library, EntryPoint = "opus_decoder_destroy")]
    private static partial void DecoderDestroy(IntPtr decoder);

    /// <summary>Decodes every frame to 48 kHz mono; returns the concatenated samples.</summary>
    public static unsafe short[] DecodeAll(IEnumerable<byte[]> frames)
    {
        IntPtr decoder;
        try
        {
            decoder = DecoderCreate(48000, 1, out int error);
            if (decoder == IntPtr.Zero || error != 0)
            {
                throw new InvalidOperationException($"opus_decoder_create failed: {error}");
            }
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException("libopus.so.0 is missing: install the Debian package 'libopus0'.", e);
        }

        try
        {
            var samples = new List<short>();
            var pcm = new short[5760];
            foreach (var frame in frames)
            {
                int decoded;
                fixed (byte* data = frame)
                fixed (short* output = pcm)
                {
                    decoded = Decode(decoder, data, frame.Length, output, pcm.Length, 0);
                }

                if (decoded < 0)
                {
                    throw new InvalidOperationException($"opus_decode failed: {decoded}");
                }

                samples.AddRange(pcm.AsSpan(0, decoded));
            }

            return samples.ToArray();
        }
        finally
        {
            DecoderDestroy(decoder);
        }
    }
}
