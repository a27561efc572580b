using System.Buffers.Text;
using System.Text;

namespace Callbridge.Notices.Sse;

/// <summary>
/// Writes one server-sent event (WHATWG HTML, "Server-sent events", 9.2.6 "Interpreting an event stream"):
/// <c>id: N\n</c> (omitted when N is 0), <c>event: type\n</c>, one <c>data: </c> line per line of the payload,
/// then a blank line. The payload's CR, LF and CRLF all end a line, as the parser reads them; JSON from
/// System.Text.Json never holds a raw newline, so a notice is one data line. The id field never contains
/// LF, CR or NUL (a digit string), so a client's Last-Event-ID is always accepted.
/// </summary>
public static class SseFrame
{
    private static ReadOnlySpan<byte> IdField => "id: "u8;
    private static ReadOnlySpan<byte> EventField => "event: "u8;
    private static ReadOnlySpan<byte> DataField => "data: "u8;

    public static int GetSerializedLength(long id, string eventType, ReadOnlySpan<byte> data)
    {
        int length = 0;
        if (id != 0)
        {
            length += IdField.Length + DigitCount(id) + 1;
        }

        length += EventField.Length + Encoding.UTF8.GetByteCount(eventType) + 1;
        int lines = 1;
        int payload = 0;
        for (int i = 0; i < data.Length; i++)
        {
            byte b = data[i];
            if (b == '\r' || b == '\n')
            {
                lines++;
                if (b == '\r' && i + 1 < data.Length && data[i + 1] == '\n')
                {
                    i++;
                }
            }
            else
            {
                payload++;
            }
        }

        return length + payload + (lines * (DataField.Length + 1)) + 1;
    }

    /// <summary>Writes the event into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteTo(Span<byte> destination, long id, string eventType, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        if (eventType.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("An event type cannot contain a line break.", nameof(eventType));
        }

        int at = 0;
        if (id != 0)
        {
            IdField.CopyTo(destination);
            at += IdField.Length;
            Utf8Formatter.TryFormat(id, destination[at..], out int written);
            at += written;
            destination[at++] = (byte)'\n';
        }

        EventField.CopyTo(destination[at..]);
        at += EventField.Length;
        at += Encoding.UTF8.GetBytes(eventType, destination[at..]);
        destination[at++] = (byte)'\n';

        ReadOnlySpan<byte> rest = data;
        while (true)
        {
            DataField.CopyTo(destination[at..]);
            at += DataField.Length;
            int end = rest.IndexOfAny((byte)'\r', (byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? rest : rest[..end];
            line.CopyTo(destination[at..]);
            at += line.Length;
            destination[at++] = (byte)'\n';
            if (end < 0)
            {
                break;
            }

            int skip = rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? 2 : 1;
            rest = rest[(end + skip)..];
        }

        destination[at++] = (byte)'\n';
        return at;
    }

    /// <summary>A comment line, ignored by clients, that keeps idle connections (and proxies) open.</summary>
    public static ReadOnlySpan<byte> KeepAlive => ": keepalive\n\n"u8;

    private static int DigitCount(long value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
