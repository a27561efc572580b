namespace Callbridge.PhoneMedia;

/// <summary>What the phone leg offers and accepts.</summary>
public sealed record PhoneSdpOptions
{
    /// <summary>Codecs in preference order. PCMU first: the law US trunks default to; PCMA is then the fallback.</summary>
    public IReadOnlyList<PhoneCodec> Codecs { get; init; } = [PhoneCodec.Pcmu, PhoneCodec.Pcma];

    /// <summary>Dynamic type for RFC 4733 events in our offers; 101 is what most SIP phones and trunks use.</summary>
    public int TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>o= session id; null draws a random one.</summary>
    public string? SessionId { get; init; }

    /// <summary>o= and s= user name.</summary>
    public string UserName { get; init; } = "callbridge";
}
