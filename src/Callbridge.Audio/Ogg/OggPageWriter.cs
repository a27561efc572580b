using System.Buffers.Binary;

namespace Callbridge.Audio.Ogg;

/// <summary>
/// Builds Ogg pages (RFC 3533) for one logical bitstream: packets are split into 255-byte lacing
/// segments, a page holds at most 255 segments, and a page is written when full or when flushed.
/// Invariants: <c>_segmentCount</c> lacing values in <c>_lacing</c> describe the first
/// <c>_bodyLength</c> bytes of <c>_body</c>; <c>_pageGranule</c> is the granule of the last packet that
/// completes on the pending page (-1 when none does).
/// </summary>
internal sealed class OggPageWriter
{
    private const int HeaderLength = 27;
    private const int MaxSegments = 255;
    private const byte FlagContinued = 0x01;
    private const byte FlagBeginOfStream = 0x02;
    private const byte FlagEndOfStream = 0x04;

    private readonly Stream _stream;
    private readonly uint _serial;
    private readonly byte[] _lacing = new byte[MaxSegments];
    private readonly byte[] _body = new byte[MaxSegments * 255];
    private readonly byte[] _header = new byte[HeaderLength + MaxSegments];
    private int _segmentCount;
    private int _bodyLength;
    private long _pageGranule = -1;
    private long _lastGranule;
    private uint _sequence;
    private bool _firstPageWritten;
    private bool _pendingContinued;

    public OggPageWriter(Stream stream, uint serial)
    {
        _stream = stream;
        _serial = serial;
    }

    public uint PagesWritten => _sequence;

    /// <summary>Bytes of packet data waiting on the pending page.</summary>
    public int PendingBodyLength => _bodyLength;

    /// <summary>Appends a packet ending at <paramref name="granule"/>; full pages are written as they fill.</summary>
    public void AddPacket(ReadOnlySpan<byte> packet, long granule)
    {
        // A packet of length 255*k needs a final 0 lacing value to mark its end (RFC 3533 section 5).
        int remaining = packet.Length;
        int offset = 0;
        while (true)
        {
            if (_segmentCount == MaxSegments)
            {
                WritePage(endOfStream: false);
                _pendingContinued = true;
            }

            int chunk = Math.Min(remaining, 255);
            _lacing[_segmentCount++] = (byte)chunk;
            packet.Slice(offset, chunk).CopyTo(_body.AsSpan(_bodyLength));
            _bodyLength += chunk;
            offset += chunk;
            remaining -= chunk;
            if (chunk < 255)
            {
                _pageGranule = granule;
                _lastGranule = granule;
                return;
            }
        }
    }

    /// <summary>
    /// Replaces the granule of the last packet completing on the pending page (end trimming, RFC 7845
    /// section 4.4). Returns false when no packet completes on the pending page.
    /// </summary>
    public bool TrySetPendingGranule(long granule)
    {
        if (_pageGranule < 0)
        {
            return false;
        }

        _pageGranule = granule;
        _lastGranule = granule;
        return true;
    }

    /// <summary>Writes the pending page, if any, even when it is not full.</summary>
    public void Flush(bool endOfStream = false)
    {
        if (_segmentCount > 0 || endOfStream)
        {
            WritePage(endOfStream);
        }

        _stream.Flush();
    }

    private void WritePage(bool endOfStream)
    {
        // Page header, RFC 3533 section 6: capture "OggS", version 0, type flags, 64-bit granule
        // position (-1 when no packet finishes on this page), serial, sequence, CRC, segment table.
        Span<byte> header = _header;
        "OggS"u8.CopyTo(header);
        header[4] = 0;
        byte flags = 0;
        if (_pendingContinued)
        {
            flags |= FlagContinued;
        }

        if (!_firstPageWritten)
        {
            flags |= FlagBeginOfStream;
        }

        if (endOfStream)
        {
            flags |= FlagEndOfStream;
        }

        header[5] = flags;
        // An empty closing page repeats the stream's last granule instead of -1.
        long granule = _segmentCount == 0 ? _lastGranule : _pageGranule;
        BinaryPrimitives.WriteInt64LittleEndian(header[6..], granule);
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], _serial);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], _sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], 0);
        header[26] = (byte)_segmentCount;
        _lacing.AsSpan(0, _segmentCount).CopyTo(header[HeaderLength..]);
        int headerLength = HeaderLength + _segmentCount;
        uint crc = OggCrc.Compute(header[..headerLength]);
        crc = OggCrc.Compute(_body.AsSpan(0, _bodyLength), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], crc);
        _stream.Write(header[..headerLength]);
        _stream.Write(_body, 0, _bodyLength);
        _sequence++;
        _firstPageWritten = true;
        _segmentCount = 0;
        _bodyLength = 0;
        _pageGranule = -1;
        _pendingContinued = false;
    }
}
