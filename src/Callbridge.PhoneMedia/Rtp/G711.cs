using Callbridge.Audio.G711;

namespace Callbridge.PhoneMedia;

/// <summary>The negotiated law's table codec.</summary>
internal static class G711
{
    public static void Decode(PhoneCodec codec, ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (codec == PhoneCodec.Pcma)
        {
            ALaw.Decode(payload, pcm);
        }
        else
        {
            MuLaw.Decode(payload, pcm);
        }
    }

    public static void Encode(PhoneCodec codec, ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (codec == PhoneCodec.Pcma)
        {
            ALaw.Encode(pcm, payload);
        }
        else
        {
            MuLaw.Encode(pcm, payload);
        }
    }
}
