using Callbridge.Srtp.Native;

namespace Callbridge.Srtp;

/// <summary>
/// One libsrtp session for one direction, matching any SSRC. Packets are transformed in place in the
/// caller's buffer; no call on the packet path allocates or throws for bad input.
/// A session is not thread-safe: one thread at a time per session (libsrtp keeps per-stream state).
/// </summary>
public sealed unsafe class SrtpSession : IDisposable
{
    private readonly SrtpSessionHandle _handle;
    private readonly int _rtpTrailer;
    private readonly int _rtcpTrailer;

    private SrtpSession(SrtpSessionHandle handle, SrtpProfile profile, SrtpDirection direction)
    {
        _handle = handle;
        Profile = profile;
        Direction = direction;
        _rtpTrailer = SrtpProfileInfo.RtpTrailerLength(profile);
        _rtcpTrailer = SrtpProfileInfo.RtcpTrailerLength(profile);
    }

    public SrtpProfile Profile { get; }

    public SrtpDirection Direction { get; }

    /// <summary>The libsrtp status code behind the last <see cref="SrtpStatus.Failed"/>, for diagnosis.</summary>
    public int LastNativeError { get; private set; }

    internal SrtpSessionHandle Handle => _handle;

    /// <summary>
    /// Creates a session from a master key and salt. Throws on invalid arguments and
    /// <see cref="SrtpLibraryUnavailableException"/> when libsrtp2 is missing: setup, not the packet path.
    /// </summary>
    public static SrtpSession Create(
        SrtpProfile profile,
        SrtpDirection direction,
        ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> masterSalt,
        SrtpSessionOptions? options = null)
    {
        if (!SrtpProfileInfo.IsSupported(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");
        }

        int keyLength = SrtpProfileInfo.MasterKeyLength(profile);
        int saltLength = SrtpProfileInfo.MasterSaltLength(profile);
        if (masterKey.Length != keyLength)
        {
            throw new ArgumentException($"{profile} needs a {keyLength}-byte master key.", nameof(masterKey));
        }

        if (masterSalt.Length != saltLength)
        {
            throw new ArgumentException($"{profile} needs a {saltLength}-byte master salt.", nameof(masterSalt));
        }

        options ??= SrtpSessionOptions.Default;
        if (options.ReplayWindowSize is < 64 or > 0x7FFF)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ReplayWindowSize, "Replay window must be 64..32767 packets.");
        }

        SrtpLibrary.EnsureInitialized();

        // libsrtp reads the master key and salt as one buffer: key || salt (srtp.h, srtp_policy_t.key).
        Span<byte> keyAndSalt = stackalloc byte[keyLength + saltLength];
        masterKey.CopyTo(keyAndSalt);
        masterSalt.CopyTo(keyAndSalt[keyLength..]);
        try
        {
            SrtpPolicy policy = default;
            Check(LibSrtp.SetCryptoPolicyForRtp(&policy.Rtp, (int)profile), "srtp_crypto_policy_set_from_profile_for_rtp");
            Check(LibSrtp.SetCryptoPolicyForRtcp(&policy.Rtcp, (int)profile), "srtp_crypto_policy_set_from_profile_for_rtcp");
            policy.SsrcType = direction == SrtpDirection.Inbound ? SrtpPolicy.SsrcAnyInbound : SrtpPolicy.SsrcAnyOutbound;
            policy.WindowSize = (nuint)options.ReplayWindowSize;
            policy.AllowRepeatTx = options.AllowRepeatTransmission ? 1 : 0;

            nint session;
            fixed (byte* key = keyAndSalt)
            {
                policy.Key = key;
                Check(LibSrtp.Create(out session, &policy), "srtp_create");
            }

            return new SrtpSession(new SrtpSessionHandle(session), profile, direction);
        }
        finally
        {
            CryptographicClear(keyAndSalt);
        }
    }

    /// <summary>Bytes <see cref="Protect"/> appends; the buffer must have this much room after the RTP packet.</summary>
    public int RtpTrailerLength => _rtpTrailer;

    /// <summary>Bytes <see cref="ProtectRtcp"/> appends.</summary>
    public int RtcpTrailerLength => _rtcpTrailer;

    /// <summary>
    /// Turns the RTP packet in <c>buffer[..rtpLength]</c> into SRTP in place (RFC 3711 §3.3).
    /// <paramref name="buffer"/> must extend at least <see cref="RtpTrailerLength"/> bytes past the packet.
    /// </summary>
    public SrtpStatus Protect(Span<byte> buffer, int rtpLength, out int srtpLength) =>
        Transform(buffer, rtpLength, _rtpTrailer, Operation.Protect, out srtpLength);

    /// <summary>Verifies and decrypts the SRTP packet that fills <paramref name="packet"/>, in place (RFC 3711 §3.3).</summary>
    public SrtpStatus Unprotect(Span<byte> packet, out int rtpLength) =>
        Transform(packet, packet.Length, 0, Operation.Unprotect, out rtpLength);

    /// <summary>Turns the RTCP compound packet in <c>buffer[..rtcpLength]</c> into SRTCP in place (RFC 3711 §3.4).</summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int rtcpLength, out int srtcpLength) =>
        Transform(buffer, rtcpLength, _rtcpTrailer, Operation.ProtectRtcp, out srtcpLength);

    /// <summary>Verifies and decrypts the SRTCP packet that fills <paramref name="packet"/>, in place (RFC 3711 §3.4).</summary>
    public SrtpStatus UnprotectRtcp(Span<byte> packet, out int rtcpLength) =>
        Transform(packet, packet.Length, 0, Operation.UnprotectRtcp, out rtcpLength);

    public void Dispose() => _handle.Dispose();

    private SrtpStatus Transform(Span<byte> buffer, int length, int trailer, Operation operation, out int resultLength)
    {
        resultLength = 0;
        bool outbound = operation is Operation.Protect or Operation.ProtectRtcp;
        if ((Direction == SrtpDirection.Outbound) != outbound)
        {
            // An inbound template cannot protect and vice versa; libsrtp would report no_ctx.
            LastNativeError = (int)SrtpErrorCode.NoCtx;
            return SrtpStatus.Failed;
        }

        // RTP fixed header is 12 bytes (RFC 3550 §5.1), RTCP's 8 (RFC 3550 §6.4.1); libsrtp re-checks the rest.
        int minimum = operation is Operation.Protect or Operation.Unprotect ? 12 : 8;
        if (length < minimum || length > buffer.Length)
        {
            return SrtpStatus.BadLength;
        }

        if (buffer.Length - length < trailer)
        {
            return SrtpStatus.BufferTooSmall;
        }

        bool addedRef = false;
        try
        {
            _handle.DangerousAddRef(ref addedRef);
            nint session = _handle.DangerousGetHandle();
            int len = length;
            SrtpErrorCode code;
            fixed (byte* p = buffer)
            {
                code = operation switch
                {
                    Operation.Protect => LibSrtp.Protect(session, p, &len),
                    Operation.Unprotect => LibSrtp.Unprotect(session, p, &len),
                    Operation.ProtectRtcp => LibSrtp.ProtectRtcp(session, p, &len),
                    _ => LibSrtp.UnprotectRtcp(session, p, &len),
                };
            }

            if (code == SrtpErrorCode.Ok)
            {
                resultLength = len;
                return SrtpStatus.Ok;
            }

            return Map(code);
        }
        finally
        {
            if (addedRef)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private SrtpStatus Map(SrtpErrorCode code)
    {
        switch (code)
        {
            case SrtpErrorCode.AuthFail:
                return SrtpStatus.AuthenticationFailed;
            case SrtpErrorCode.ReplayFail:
                return SrtpStatus.Replayed;
            case SrtpErrorCode.ReplayOld:
                return SrtpStatus.TooOld;
            case SrtpErrorCode.BadParam or SrtpErrorCode.ParseErr:
                // libsrtp reports a header that does not fit its length as bad_param/parse_err.
                return SrtpStatus.BadLength;
            default:
                LastNativeError = (int)code;
                return SrtpStatus.Failed;
        }
    }

    private static void Check(SrtpErrorCode code, string function)
    {
        if (code != SrtpErrorCode.Ok)
        {
            throw new InvalidOperationException($"{function} failed with libsrtp status {(int)code}.");
        }
    }

    private static void CryptographicClear(Span<byte> secret) =>
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);

    private enum Operation
    {
        Protect,
        Unprotect,
        ProtectRtcp,
        UnprotectRtcp,
    }
}
