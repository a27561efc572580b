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

    /// <summary>
    /// Bytes <see cref="WriteRelay"/> writes for <paramref name="digit"/> and <paramref name="duration"/>
    /// ("Signal=5\r\nDuration=100\r\n"); 0 when the key is not a DTMF key.
    /// </summary>
    public static int GetRelayLength(char digit, TimeSpan duration)
    {
        if (!DtmfEvents.TryGetEvent(digit, out _))
        {
            return 0;
        }

        return "Signal=".Length + 1 + "\r\nDuration=".Length + DigitCount(RelayMilliseconds(duration)) + "\r\n".Length;
    }

    /// <summary>
    /// Writes an <c>application/dtmf-relay</c> body for one key (upper-case A-D) and its tone length in ms, the
    /// form <see cref="TryParse"/> reads back. Returns the bytes written, or 0 when the key is not a DTMF key or
    /// <paramref name="destination"/> is too short.
    /// </summary>
    public static int WriteRelay(char digit, TimeSpan duration, Span<byte> destination)
    {
        int length = GetRelayLength(digit, duration);
        if (length == 0 || destination.Length < length)
        {
            return 0;
        }

        DtmfEvents.TryGetEvent(digit, out byte code);
        DtmfEvents.TryGetDigit(code, out char key);
        "Signal="u8.CopyTo(destination);
        int at = "Signal=".Length;
        destination[at++] = (byte)key;
        "\r\nDuration="u8.CopyTo(destination[at..]);
        at += "\r\nDuration=".Length;
        Utf8Formatter.TryFormat(RelayMilliseconds(duration), destination[at..], out int written);
        at += written;
        "\r\n"u8.CopyTo(destination[at..]);
        return at + 2;
    }

    /// <summary>Whole milliseconds, clamped to 0..60000: a key press is never longer than a minute.</summary>
    private static int RelayMilliseconds(TimeSpan duration) => (int)Math.Clamp(duration.TotalMilliseconds, 0, 60_000);

    private static int DigitCount(int value) => value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10_000 ? 4 : 5;

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
