namespace Callbridge.Audio.Wav;

/// <summary>16-bit linear PCM format of a WAV file: interleaved little-endian samples.</summary>
public readonly record struct WavFormat(int SampleRate, int Channels)
{
    public const int BitsPerSample = 16;

    public int BlockAlign => Channels * 2;

    public int ByteRate => SampleRate * BlockAlign;
}
