namespace Callbridge.Srtp.Native;

/// <summary>libsrtp's <c>srtp_err_status_t</c> (srtp.h), the codes this library maps.</summary>
internal enum SrtpErrorCode
{
    Ok = 0,
    Fail = 1,
    BadParam = 2,
    AllocFail = 3,
    InitFail = 5,
    AuthFail = 7,
    CipherFail = 8,
    ReplayFail = 9,
    ReplayOld = 10,
    AlgoFail = 11,
    NoSuchOp = 12,
    NoCtx = 13,
    ParseErr = 21,
    BadMki = 25,
}
