using System.Buffers.Text;
using System.Text;

namespace Callbridge.PhoneMedia;

/// <summary>
/// DTMF carried in SIP INFO bodies, the fallback when a peer has no telephone-event (RFC 6086 INFO with
/// the de-facto packages): <c>application/dtmf-relay</c> ("Signal=5\r\nDuration=160", duration in ms)
/// and <c>application/dtmf</c> (the bare key, "5"). Both accept a key character or its RFC 4733 event code.
/// </summary>
public static class SipInfoDtmf
{
    public const string DtmfRelayContentType = "application/dtmf-relay";

    public const string DtmfContentType = "application/dtmf";

    /// <summary>A DTMF body is a few dozen bytes; anything longer is not one.</summary>
    public const int MaxBodyLength = 1024;

    public static SipInfoDtmfError TryParse(string? contentType, ReadOnlySpan<byte> body, out DtmfDigit digit)
    {
        digit = default;
        if (body.Length > MaxBodyLength)
        {
            return SipInfoDtmfError.TooLong;
        }

        ReadOnlySpan<char> mediaType = MediaType(contentType);
        if (mediaType.Equals(DtmfRelayContentType, StringComparison.OrdinalIgnoreCase))
        {
            return ParseRelay(body, out digit);
        }

        if (mediaType.Equals(DtmfContentType, StringComparison.OrdinalIgnoreCase))
        {
            ReadOnlySpan<byte> value = Trim(body);
            if (value.IsEmpty)
            {
                return SipInfoDtmfError.MissingSignal;
            }

            if (!TryParseSignal(value, out char key))
            {
                return SipInfoDtmfError.InvalidSignal;
            }

            digit = new DtmfDigit(key, TimeSpan.Zero, DtmfSource.SipInfo);
            return SipInfoDtmfError.None;
        }

        return SipInfoDtmfError.UnsupportedContentType;
    }

    private static SipInfoDtmfError ParseRelay(ReadOnlySpan<byte> body, out DtmfDigit digit)
    {
        digit = default;
        char? key = null;
        int durationMs = 0;
        while (!body.IsEmpty)
        {
            int eol = body.IndexOfAny((byte)'\r', (byte)'\n');
            ReadOnlySpan<byte> line = eol < 0 ? body : body[..eol];
            body = eol < 0 ? default : body[(eol + 1)..];
            int eq = line.IndexOf((byte)'=');
            if (eq < 0)
            {
                continue;
            }

            ReadOnlySpan<byte> name = Trim(line[..eq]);
            ReadOnlySpan<byte> value = Trim(line[(eq + 1)..]);
            if (Ascii.EqualsIgnoreCase(name, "Signal"u8))
            {
                if (!TryParseSignal(value, out char k))
                {
                    return SipInfoDtmfError.InvalidSignal;
                }

                key = k;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Duration"u8))
            {
                if (!Utf8Parser.TryParse(value, out durationMs, out int used) || used != value.Length || durationMs < 0)
                {
                    return SipInfoDtmfError.InvalidDuration;
                }
            }
        }

        if (key is null)
        {
            return SipInfoDtmfError.MissingSignal;
        }

        digit = new DtmfDigit(key.Value, TimeSpan.FromMilliseconds(durationMs), DtmfSource.SipInfo);
        return SipInfoDtmfError.None;
    }

    private static bool TryParseSignal(ReadOnlySpan<byte> value, out char key)
    {
        key = '\0';
        if (value.Length == 1 && DtmfEvents.TryGetEvent((char)value[0], out byte code))
        {
            return DtmfEvents.TryGetDigit(code, out key);
        }

        // Some gateways send the event code instead: 10 for '*', 11 for '#', 12-15 for A-D.
        return Utf8Parser.TryParse(value, out int number, out int used) && used == value.Length
            && DtmfEvents.TryGetDigit(number, out key);
    }

    private static ReadOnlySpan<char> MediaType(string? contentType)
    {
        if (contentType is null)
        {
            return default;
        }

        ReadOnlySpan<char> span = contentType;
        int semicolon = span.IndexOf(';');
        return (semicolon < 0 ? span : span[..semicolon]).Trim();
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value) => value.Trim(" \t\r\n"u8);
}
