namespace Callbridge.Sdp;

/// <summary>Why a session description was refused. <see cref="None"/> means success.</summary>
public enum SdpParseError
{
    None = 0,
    TooLarge,
    TooManyLines,
    LineTooLong,
    TooManyMediaSections,
    /// <summary>Not "&lt;letter&gt;=&lt;value&gt;" (RFC 8866 §5).</summary>
    MalformedLine,
    /// <summary>The first line is not v=0 (RFC 8866 §5.1).</summary>
    InvalidVersion,
    MissingOrigin,
    InvalidOrigin,
    MissingSessionName,
    MissingTiming,
    InvalidTiming,
    InvalidConnection,
    InvalidBandwidth,
    InvalidMedia,
    /// <summary>A line that belongs to the session part appears in a media section, or an unknown letter.</summary>
    LineOutOfPlace,
    InvalidGroup,
    InvalidFingerprint,
    InvalidSetup,
    InvalidMid,
    InvalidExtmap,
    InvalidRtpMap,
    InvalidFmtp,
    InvalidRtcpFeedback,
    InvalidSsrc,
    InvalidSsrcGroup,
    InvalidMsid,
    InvalidCandidate,
    InvalidIceCredentials,
    DuplicateAttribute,
}
