namespace Callbridge.PhoneMedia;

/// <summary>Why a SIP INFO body gave no digit.</summary>
public enum SipInfoDtmfError
{
    None = 0,

    /// <summary>Content-Type is neither application/dtmf-relay nor application/dtmf.</summary>
    UnsupportedContentType,

    /// <summary>No Signal line (dtmf-relay) or an empty body (dtmf).</summary>
    MissingSignal,

    /// <summary>The signal is not one of 0-9, *, #, A-D (or their event codes 10-15).</summary>
    InvalidSignal,

    /// <summary>The Duration value is not a non-negative number of milliseconds.</summary>
    InvalidDuration,

    /// <summary>The body is longer than any DTMF body has reason to be.</summary>
    TooLong,
}
