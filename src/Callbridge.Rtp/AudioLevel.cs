namespace Callbridge.Rtp;

/// <summary>
/// Client-to-mixer audio level (RFC 6464 §3): one byte, V flag then the level in -dBov (0 loudest, 127 silence).
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |V|    level    |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct AudioLevel(bool VoiceActivity, byte Level)
{
    public const string Uri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

    public const int SerializedLength = 1;

    /// <summary>Reads the element's value; RFC 6464 allows padding after the first byte, so only the first byte counts.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out AudioLevel level)
    {
        if (value.IsEmpty)
        {
            level = default;
            return false;
        }

        level = new AudioLevel((value[0] & 0x80) != 0, (byte)(value[0] & 0x7F));
        return true;
    }

    public int WriteTo(Span<byte> destination)
    {
        if (Level > 127)
        {
            ThrowHelpers.Invalid("Audio level is 0..127 -dBov.");
        }

        destination[0] = (byte)((VoiceActivity ? 0x80 : 0) | Level);
        return SerializedLength;
    }
}
