namespace Callbridge.TestSupport.Sip;

/// <summary>One baresip user agent.</summary>
public sealed class BaresipOptions
{
    public string Name { get; init; } = "baresip";

    /// <summary>User part of the account (sip:USER@ip:port).</summary>
    public string User { get; init; } = "bot";

    /// <summary>8 kHz mono 16-bit WAV sent as microphone (aufile plays it once; its end ends the call).</summary>
    public required string AudioSourceWav { get; init; }

    /// <summary>URI to dial at start (<c>-e "/dial URI"</c>); null waits for calls (answermode=auto).</summary>
    public string? Dial { get; init; }

    /// <summary>baresip quits after this (<c>-t</c>), hanging up with BYE.</summary>
    public TimeSpan RunFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Log every SIP message sent and received (<c>-s</c>), e.g. to check the headers of a BYE.</summary>
    public bool SipTrace { get; init; }

    /// <summary>Audio codec modules to load, in preference order (g711 gives PCMU and PCMA).</summary>
    public IReadOnlyList<string> CodecModules { get; init; } = ["g711"];
}
