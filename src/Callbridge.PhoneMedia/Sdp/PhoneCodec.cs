namespace Callbridge.PhoneMedia;

/// <summary>The G.711 law spoken on the phone leg; the value is its RFC 3551 §6 static payload type.</summary>
public enum PhoneCodec
{
    /// <summary>mu-law, North America and Japan.</summary>
    Pcmu = 0,

    /// <summary>A-law, the rest of the world.</summary>
    Pcma = 8,
}
