using System.Diagnostics;
using Callbridge.Audio.Opus;
using Callbridge.Conference;
using Callbridge.PhoneMedia;
using Callbridge.Rtp;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// Times the marker's onset through one bridged call, inside the bridge. Up: the RTP datagram carrying the
/// onset as the socket hands it over, to the Opus packet carrying it as it goes to the publication. Down: a
/// conference track's Opus frame carrying an onset as the media core received it, to the G.711 packet
/// carrying it as it leaves for the phone; or, from another caller of the room that this call hears in the bridge,
/// that caller's RTP datagram carrying the onset to the G.711 packet carrying it to this phone. Each time is
/// corrected by the onset's position inside its packet
/// (the instant a receiver that played each packet on arrival would play the onset), so a bridge that forwarded
/// each packet at once would measure 0, and one that sends 40 ms packets for 20 ms ones measures the 20 ms
/// every sample waits for its packet to fill.
/// </summary>
internal sealed class CallProbe : IPhoneRtpObserver, IDisposable
{
    /// <summary>Pairs further apart than this are not the same onset.</summary>
    private static readonly long MaxDelayTicks = Stopwatch.Frequency / 2;

    /// <summary>Track onsets closer than the detector's silence need (300 ms) cannot be told apart in the mix.</summary>
    private static readonly long ClusterTicks = Stopwatch.Frequency * 3 / 10;

    private readonly Lock _gate = new();
    private readonly OnsetDetector _phoneIn = new(8000);
    private readonly OnsetDetector _phoneOut = new(8000);
    private readonly OnsetDetector _opusOut = new(48000);
    private readonly OpusDecoder _opusOutDecoder = new(48000, 1);
    private readonly Dictionary<string, (OpusDecoder Decoder, OnsetDetector Detector)> _tracks = new(StringComparer.Ordinal);
    private readonly Lock _trackGate = new();
    // One buffer per calling thread: the receive loop, the send timer, the media core's receive loop.
    private readonly short[] _pcm8In = new short[1500];
    private readonly short[] _pcm8Out = new short[1500];
    private readonly short[] _pcm48Out = new short[5760];
    private readonly short[] _pcm48Track = new short[5760];
    private readonly List<double> _up;
    private readonly List<double> _down;
    private long _lastPhoneOnset = long.MinValue;
    private long _lastTrackOnset = long.MinValue;
    private long _clusterStart = long.MinValue;

    public CallProbe(List<double> up, List<double> down) => (_up, _down) = (up, down);

    /// <summary>Packets seen and onsets found at each point: phone in, Opus out, track in, phone out.</summary>
    public long[] Seen { get; } = new long[4];

    public long[] Onsets { get; } = new long[4];

    public string Describe() =>
        $"phone in {Seen[0]}/{Onsets[0]}/{_phoneIn.Peak}/{_phoneIn.QuietFrames}, Opus out {Seen[1]}/{Onsets[1]}/{_opusOut.Peak}/{_opusOut.QuietFrames}, " +
        $"tracks in {Seen[2]}/{Onsets[2]}, phone out {Seen[3]}/{Onsets[3]}/{_phoneOut.Peak}/{_phoneOut.QuietFrames} (packets/onsets/peak/quiet frames)";

    public void OnRtpReceived(ReadOnlySpan<byte> datagram, long timestamp)
    {
        if (!TryDecodeG711(datagram, _pcm8In, out int samples))
        {
            return;
        }

        int at = _phoneIn.Find(_pcm8In.AsSpan(0, samples));
        Seen[0]++;
        if (at >= 0)
        {
            Onsets[0]++;
            long onset = timestamp + (at * Stopwatch.Frequency / 8000);
            lock (_gate) _lastPhoneOnset = onset;
            // The room's other callers hear this one in the bridge: for them it is a source onset like a track's.
            foreach (CallProbe peer in Peers)
            {
                peer.OnSourceOnset(onset);
            }
        }
    }

    /// <summary>The other probed calls of the same room (their callers' onsets are heard in this call's mix).</summary>
    public IReadOnlyList<CallProbe> Peers { get; set; } = [];

    public void OnRtpSent(ReadOnlySpan<byte> packet, long timestamp)
    {
        if (!TryDecodeG711(packet, _pcm8Out, out int samples))
        {
            return;
        }

        int at = _phoneOut.Find(_pcm8Out.AsSpan(0, samples));
        Seen[3]++;
        if (at < 0)
        {
            return;
        }

        Onsets[3]++;

        long onset = timestamp + (at * Stopwatch.Frequency / 8000);
        lock (_gate)
        {
            // The mix's onset is the first track onset of a cluster (tracks whose onsets came within the
            // mix's silence need of each other sound as one onset).
            long d = onset - _clusterStart;
            if (_clusterStart != long.MinValue && d >= 0 && d < MaxDelayTicks)
            {
                lock (_down) _down.Add(d * 1000.0 / Stopwatch.Frequency);
            }

            _clusterStart = long.MinValue;
        }
    }

    /// <summary>The caller's Opus packet as the bridge hands it to the publication.</summary>
    public void OnOpusSent(ReadOnlySpan<byte> packet)
    {
        long now = Stopwatch.GetTimestamp();
        if (_opusOutDecoder.TryDecode(packet, _pcm48Out, out int samples) != OpusError.Ok)
        {
            return;
        }

        int at = _opusOut.Find(_pcm48Out.AsSpan(0, samples));
        Seen[1]++;
        if (at < 0)
        {
            return;
        }

        Onsets[1]++;

        long onset = now + (at * Stopwatch.Frequency / 48000);
        lock (_gate)
        {
            long d = onset - _lastPhoneOnset;
            if (_lastPhoneOnset != long.MinValue && d >= 0 && d < MaxDelayTicks)
            {
                lock (_up) _up.Add(d * 1000.0 / Stopwatch.Frequency);
            }

            _lastPhoneOnset = long.MinValue;
        }
    }

    /// <summary>A conference track's frame as the media core hands it to the bridge.</summary>
    /// <summary>Finds the participant the call's own caller publishes as (null until the room's hub recognised it).</summary>
    public Func<string?>? FindOwnParticipant { get; set; }

    private string? _ownParticipant;

    /// <summary>A frame of the room's shared subscription: the call's own caller is not in its mix, so its track is no onset source.</summary>
    public void OnRoomFrame(in ConferenceFrame frame)
    {
        _ownParticipant ??= FindOwnParticipant?.Invoke();
        if (_ownParticipant is null || frame.Track.ParticipantId == _ownParticipant)
        {
            return;
        }

        OnTrackFrame(frame);
    }

    public void OnTrackFrame(in ConferenceFrame frame)
    {
        if (frame.Track.Kind != TrackKind.Audio || frame.LooksEncrypted)
        {
            return;
        }

        lock (_trackGate)
        {
            if (!_tracks.TryGetValue(frame.Track.TrackId, out var track))
            {
                track = (new OpusDecoder(48000, 1), new OnsetDetector(48000));
                _tracks[frame.Track.TrackId] = track;
            }

            if (track.Decoder.TryDecode(frame.Data, _pcm48Track, out int samples) != OpusError.Ok)
            {
                return;
            }

            int at = track.Detector.Find(_pcm48Track.AsSpan(0, samples));
            Seen[2]++;
            if (at >= 0)
            {
                OnSourceOnset(frame.ReceivedTimestamp + (at * Stopwatch.Frequency / 48000));
            }
        }
    }

    /// <summary>An onset in something this call hears (a conference track, or a local caller of the room), as it reached the bridge.</summary>
    private void OnSourceOnset(long onset)
    {
        Onsets[2]++;
        lock (_gate)
        {
            if (_lastTrackOnset == long.MinValue || onset - _lastTrackOnset > ClusterTicks)
            {
                _clusterStart = onset;
            }

            _lastTrackOnset = onset;
        }
    }

    private static bool TryDecodeG711(ReadOnlySpan<byte> datagram, short[] pcm, out int samples)
    {
        samples = 0;
        if (RtpPacket.TryParse(datagram, out RtpPacket rtp, out _) != RtpParseError.None || rtp.PayloadType is not (0 or 8))
        {
            return false;
        }

        samples = Math.Min(rtp.Payload.Length, pcm.Length);
        G711.Decode(rtp.PayloadType == 8 ? PhoneCodec.Pcma : PhoneCodec.Pcmu, rtp.Payload[..samples], pcm);
        return true;
    }

    public void Dispose()
    {
        _opusOutDecoder.Dispose();
        lock (_trackGate)
        {
            foreach (var t in _tracks.Values)
            {
                t.Decoder.Dispose();
            }
        }
    }
}
