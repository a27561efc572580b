namespace Callbridge.PhoneMedia;

/// <summary>Why an SDP could not set up the phone leg; <see cref="None"/> means it could.</summary>
public enum PhoneSdpError
{
    None = 0,

    /// <summary>No audio m-section with a non-zero port.</summary>
    NoAudio,

    /// <summary>The audio section offers neither PCMU nor PCMA (answer with 488 Not Acceptable Here).</summary>
    NoCommonCodec,

    /// <summary>Neither the audio section nor the session has a usable c= IN IP4/IP6 address.</summary>
    NoConnectionAddress,

    /// <summary>The audio section is not plain RTP/AVP (e.g. SRTP or WebRTC profiles).</summary>
    NotRtpAvp,
}
