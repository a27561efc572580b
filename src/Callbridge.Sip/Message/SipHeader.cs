using System.Text;

namespace Callbridge.Sip.Message;

/// <summary>One header line: the name as written and the value as on the wire (folding kept, leading and
/// trailing LWS removed). Bytes map to chars one to one (Latin-1), so any octet survives a round trip.</summary>
public sealed class SipHeader
{
    private string? _value;

    public SipHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Kind = SipHeaderNames.Classify(name);
        _value = value;
        RawValue = Encoding.Latin1.GetBytes(value);
    }

    internal SipHeader(SipHeaderKind kind, string name, ReadOnlyMemory<byte> rawValue)
    {
        Name = name;
        Kind = kind;
        RawValue = rawValue;
    }

    /// <summary>The header name as written (compact or long form, any case).</summary>
    public string Name { get; }

    public SipHeaderKind Kind { get; }

    /// <summary>The value octets as received.</summary>
    public ReadOnlyMemory<byte> RawValue { get; }

    /// <summary>The value as received (Latin-1 view of the octets).</summary>
    public string Value => _value ??= Encoding.Latin1.GetString(RawValue.Span);

    /// <summary>The value with each fold (CRLF + whitespace) replaced by one space (§7.3.1).</summary>
    public string UnfoldedValue
    {
        get
        {
            string v = Value;
            if (!v.Contains('\r', StringComparison.Ordinal)) return v;
            var sb = new StringBuilder(v.Length);
            for (int i = 0; i < v.Length; i++)
            {
                if (v[i] == '\r' && i + 1 < v.Length && v[i + 1] == '\n')
                {
                    i += 2;
                    while (i < v.Length && (v[i] == ' ' || v[i] == '\t')) i++;
                    i--;
                    sb.Append(' ');
                    continue;
                }
                sb.Append(v[i]);
            }
            return sb.ToString();
        }
    }

    internal int SerializedLength => Name.Length + 2 + RawValue.Length + 2;

    internal int WriteTo(Span<byte> dest)
    {
        int n = Encoding.Latin1.GetBytes(Name, dest);
        dest[n++] = (byte)':';
        dest[n++] = (byte)' ';
        RawValue.Span.CopyTo(dest[n..]);
        n += RawValue.Length;
        dest[n++] = (byte)'\r';
        dest[n++] = (byte)'\n';
        return n;
    }

    public override string ToString() => Name + ": " + Value;
}
