using Callbridge.Rtp;

namespace Callbridge.Media;

/// <summary>
/// Wraps Opus packets into RTP (RFC 7587 §4.2: one Opus packet per RTP packet, 48 kHz clock).
/// Keeps the stream's sequence number and timestamp; not thread-safe.
/// </summary>
public sealed class OpusPacketizer
{
    /// <summary>RFC 7587 §4.1: the RTP clock rate is always 48000 whatever the coded bandwidth.</summary>
    public const int ClockRate = 48000;

    public OpusPacketizer(uint ssrc, byte payloadType, ushort initialSequenceNumber, uint initialTimestamp)
    {
        Ssrc = ssrc;
        PayloadType = payloadType;
        SequenceNumber = initialSequenceNumber;
        Timestamp = initialTimestamp;
    }

    public uint Ssrc { get; }

    public byte PayloadType { get; }

    /// <summary>Sequence number the next packet gets.</summary>
    public ushort SequenceNumber { get; private set; }

    /// <summary>Timestamp the next packet gets.</summary>
    public uint Timestamp { get; private set; }

    /// <summary>Advances the clock over a frame that is not sent (dropped before packetization), as RFC 3550 §5.1 keeps timestamps on the sampling clock.</summary>
    public void Skip(int samples) => Timestamp += (uint)samples;

    /// <summary>
    /// Writes one RTP packet carrying <paramref name="opusPacket"/>; returns its length, or -1 when the
    /// Opus packet is malformed or <paramref name="destination"/> is too small.
    /// <paramref name="startOfTalkspurt"/> sets the marker (RFC 7587 §4.2: first packet after DTX silence).
    /// </summary>
    public int Packetize(ReadOnlySpan<byte> opusPacket, Span<byte> destination, bool startOfTalkspurt = false, ReadOnlySpan<byte> extensionBody = default, ushort extensionProfile = 0)
    {
        int samples = OpusToc.GetSampleCount(opusPacket);
        return samples < 0 ? -1 : Packetize(opusPacket, samples, destination, startOfTalkspurt, extensionBody, extensionProfile);
    }

    /// <summary>
    /// Writes one RTP packet whose payload lasts <paramref name="samples"/> at 48 kHz, given by the caller: a
    /// transformed (encrypted) payload need not start with a readable TOC.
    /// </summary>
    public int Packetize(ReadOnlySpan<byte> payload, int samples, Span<byte> destination, bool startOfTalkspurt = false, ReadOnlySpan<byte> extensionBody = default, ushort extensionProfile = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        ReadOnlySpan<byte> opusPacket = payload;

        var packet = new RtpPacket
        {
            Marker = startOfTalkspurt,
            PayloadType = PayloadType,
            SequenceNumber = SequenceNumber,
            Timestamp = Timestamp,
            Ssrc = Ssrc,
            HasExtension = !extensionBody.IsEmpty,
            ExtensionProfile = extensionProfile,
            ExtensionBody = extensionBody,
            Payload = opusPacket,
        };
        int length = packet.GetSerializedLength();
        if (length > destination.Length)
        {
            return -1;
        }

        packet.WriteTo(destination);
        SequenceNumber++;
        Timestamp += (uint)samples;
        return length;
    }
}
