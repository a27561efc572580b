namespace Callbridge.FrameCrypto.Classification;

/// <summary>Why a payload is not a well-formed Opus packet (RFC 6716 §3.4 requirements R1..R7).</summary>
public enum OpusPacketError
{
    None,

    /// <summary>R1: a packet has at least one byte (the TOC).</summary>
    Empty,

    /// <summary>R2: no frame may exceed 1275 bytes.</summary>
    FrameTooLong,

    /// <summary>R3: code 1 packets have an odd total length (two equal frames after the TOC).</summary>
    Code1OddPayload,

    /// <summary>R4: a code 2 first-frame length must fit in the packet.</summary>
    Code2BadLength,

    /// <summary>R5: a code 3 packet has a frame-count byte with M &gt;= 1 and M x duration &lt;= 120 ms.</summary>
    Code3BadFrameCount,

    /// <summary>R6/R7: code 3 padding or frame lengths overrun the packet, or CBR data is not a multiple of M.</summary>
    Code3BadLengths,
}
