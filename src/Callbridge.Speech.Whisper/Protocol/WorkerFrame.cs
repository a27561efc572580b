using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Callbridge.Speech.Whisper.Protocol;

/// <summary>
/// One request frame on the worker's stdin (scripts/tools/whisper/worker.js):
/// <c>u32 LE jsonLength | u32 LE payloadLength | JSON | payload</c>, the payload being 16 kHz mono s16le PCM.
/// </summary>
internal static class WorkerFrame
{
    public const int HeaderBytes = 8;

    /// <summary>The worker's bound on one request's JSON.</summary>
    public const int MaxJsonBytes = 64 * 1024;

    /// <summary>The worker's bound on one payload: 60 s of 16 kHz s16le.</summary>
    public const int MaxPayloadBytes = 60 * 16000 * 2;

    public static int GetSerializedLength(int jsonBytes, int samples) => HeaderBytes + jsonBytes + (samples * sizeof(short));

    /// <summary>Writes the frame into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int WriteTo(Span<byte> destination, ReadOnlySpan<byte> json, ReadOnlySpan<short> samples)
    {
        int payloadBytes = samples.Length * sizeof(short);
        if (json.IsEmpty || json.Length > MaxJsonBytes || payloadBytes > MaxPayloadBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(json), "frame exceeds the worker's bounds");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)json.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)payloadBytes);
        json.CopyTo(destination[HeaderBytes..]);
        Span<byte> payload = destination.Slice(HeaderBytes + json.Length, payloadBytes);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(samples).CopyTo(payload);
        }
        else
        {
            for (int i = 0; i < samples.Length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(payload[(i * 2)..], samples[i]);
            }
        }

        return HeaderBytes + json.Length + payloadBytes;
    }
}
