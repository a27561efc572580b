namespace Callbridge.Media;

/// <summary>
/// Reads the TOC byte of an Opus packet (RFC 6716 §3.1) to know its duration.
/// <code>
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// | config  |s| c |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public static class OpusToc
{
    /// <summary>Samples at 48 kHz in the packet, or -1 when the packet is malformed (RFC 6716 §3.2 framing rules, counts only).</summary>
    public static int GetSampleCount(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return -1;
        }

        byte toc = packet[0];
        int frames = (toc & 0x03) switch
        {
            0 => 1,
            1 or 2 => 2,
            // Code 3 (§3.2.5): frame count in the low 6 bits of the second byte; 0 is invalid.
            _ => packet.Length >= 2 && (packet[1] & 0x3F) != 0 ? packet[1] & 0x3F : -1,
        };
        if (frames < 0)
        {
            return -1;
        }

        int samples = frames * GetSamplesPerFrame(toc >> 3);
        // §3.2.5: a packet lasts at most 120 ms.
        return samples > 5760 ? -1 : samples;
    }

    /// <summary>Frame size at 48 kHz for a TOC configuration (RFC 6716 §3.1, Table 2).</summary>
    public static int GetSamplesPerFrame(int config) => config switch
    {
        // SILK-only: 10, 20, 40, 60 ms per bandwidth.
        < 12 => (config & 3) switch { 0 => 480, 1 => 960, 2 => 1920, _ => 2880 },
        // Hybrid: 10, 20 ms.
        < 16 => (config & 1) == 0 ? 480 : 960,
        // CELT-only: 2.5, 5, 10, 20 ms.
        _ => (config & 3) switch { 0 => 120, 1 => 240, 2 => 480, _ => 960 },
    };
}
