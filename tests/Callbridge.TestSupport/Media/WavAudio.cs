using System.Buffers.Binary;

namespace Callbridge.TestSupport.Media;

/// <summary>A PCM WAV file read into mono float samples in [-1, 1].</summary>
/// <param name="SampleRate">Hz.</param>
/// <param name="Channels">Channels in the file (samples are their average).</param>
/// <param name="Samples">Mono samples.</param>
public sealed record WavAudio(int SampleRate, int Channels, float[] Samples)
{
    public double DurationSeconds => SampleRate == 0 ? 0 : (double)Samples.Length / SampleRate;

    public static WavAudio Read(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>RIFF/WAVE with 16-bit PCM (format 1 or extensible); other encodings are rejected.</summary>
    public static WavAudio Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("not a RIFF/WAVE file");
        }

        int channels = 0, rate = 0, bits = 0;
        var offset = 12;
        while (offset + 8 <= file.Length)
        {
            var id = file.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(offset + 4, 4));
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                var format = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(body, 2));
                channels = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(body + 2, 2));
                rate = BinaryPrimitives.ReadInt32LittleEndian(file.Slice(body + 4, 4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(file.Slice(body + 14, 2));
                if ((format != 1 && format != 0xFFFE) || bits != 16)
                {
                    throw new InvalidDataException($"unsupported WAV encoding: format {format}, {bits} bits");
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels == 0)
                {
                    throw new InvalidDataException("data chunk before fmt chunk");
                }

                // A writer killed before closing leaves size 0 or 0xFFFFFFFF: take what is there.
                var available = file.Length - body;
                var length = size == 0 || size > available ? available : (int)size;
                var frames = length / (2 * channels);
                var samples = new float[frames];
                for (var f = 0; f < frames; f++)
                {
                    var sum = 0;
                    for (var c = 0; c < channels; c++)
                    {
                        sum += BinaryPrimitives.ReadInt16LittleEndian(file.Slice(body + ((f * channels) + c) * 2, 2));
                    }

                    samples[f] = sum / (32768f * channels);
                }

                return new WavAudio(rate, channels, samples);
            }

            // Chunks are padded to even sizes.
            offset = body + (int)Math.Min(size + (size & 1), (uint)(file.Length - body));
        }

        throw new InvalidDataException("WAV file without data chunk");
    }
}
