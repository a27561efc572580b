using BenchmarkDotNet.Attributes;
using Callbridge.Audio.G711;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia.Benchmarks;

/// <summary>
/// One 20 ms frame of a room of four phone callers who all speak, both ways for every call. Baseline: every call
/// has its own subscription, so each decodes the other three callers' tracks (12 Opus decodes a frame). Shared:
/// one <see cref="RoomAudio"/> decodes four tracks once and every call mixes them, with the other callers' rings
/// (the decoding the callers' tracks would cost if they came back through the SFU; the room now ignores those,
/// so the tracks here are four other participants'). Local: the four callers hear each other from their rings,
/// nothing decoded, as the bridge's own callers of one room now do. The Opus encodes and G.711 are the same in all; Janus forwarding and SRTP,
/// which the shared subscription divides by the room size and the local mix removes, are not in this bench (the
/// SIP load bench measures them).
/// </summary>
[MemoryDiagnoser]
public class RoomOfCallsBenchmarks : IDisposable
{
    private const int Frames = 100;
    private const int Callers = 4;

    private readonly byte[][] _phonePackets = new byte[Frames][];
    private readonly byte[][][] _trackPackets = new byte[Callers][][];
    private readonly short[] _pcm8 = new short[160];
    private readonly short[] _mix8 = new short[160];
    private readonly byte[] _g711Out = new byte[160];
    private readonly PublishedTrack[] _tracks = new PublishedTrack[Callers];
    private readonly PhoneConferenceAudio[] _ownSubscriptions = new PhoneConferenceAudio[Callers];
    private readonly PhoneConferenceAudio[] _shared = new PhoneConferenceAudio[Callers];
    private readonly PhoneConferenceAudio[] _local = new PhoneConferenceAudio[Callers];
    private RoomAudio _room = null!;
    private RoomAudio _localRoom = null!;
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        PhonePrompts prompts = PhonePrompts.LoadDefault();
        ReadOnlySpan<short> caller = prompts[PhonePrompt.E2eeRefused].Span;
        BridgedCallBenchmarks.PhonePackets(caller, _phonePackets);

        PhonePrompt[] voices = [PhonePrompt.Welcome, PhonePrompt.EnterPin, PhonePrompt.E2eeTurnedOn, PhonePrompt.Goodbye];
        _room = new RoomAudio();
        _localRoom = new RoomAudio();
        for (int c = 0; c < Callers; c++)
        {
            _trackPackets[c] = BridgedCallBenchmarks.EncodeAt48k(prompts[voices[c]].Span);
            string participant = "p" + c;
            _tracks[c] = new PublishedTrack(participant + "/a", participant, "a", TrackKind.Audio, "opus");
            _ownSubscriptions[c] = new PhoneConferenceAudio() { Publication = new BridgedCallBenchmarks.DiscardingPublication() };
            _shared[c] = new PhoneConferenceAudio(_room.AddMember()) { Publication = new BridgedCallBenchmarks.DiscardingPublication() };
            _local[c] = new PhoneConferenceAudio(_localRoom.AddMember()) { Publication = new BridgedCallBenchmarks.DiscardingPublication() };
        }

        for (int i = 0; i < 10; i++)
        {
            OwnSubscriptionPerCall();
            SharedRoomAudio();
            LocalCallers();
        }
    }

    [Benchmark(Baseline = true, Description = "4 calls, a subscription each (12 decodes)")]
    public byte OwnSubscriptionPerCall()
    {
        int f = _frame++ % Frames;
        for (int c = 0; c < Callers; c++)
        {
            for (int t = 0; t < Callers; t++)
            {
                if (t != c)
                {
                    Deliver(_ownSubscriptions[c], t, f);
                }
            }
        }

        return BothWays(_ownSubscriptions, f);
    }

    [Benchmark(Description = "4 calls, one shared room audio (4 decodes)")]
    public byte SharedRoomAudio()
    {
        int f = _frame++ % Frames;
        for (int t = 0; t < Callers; t++)
        {
            Deliver(_room, t, f);
        }

        return BothWays(_shared, f);
    }

    [Benchmark(Description = "4 calls mixed from each other's rings (0 decodes)")]
    public byte LocalCallers() => BothWays(_local, _frame++ % Frames);

    private byte BothWays(PhoneConferenceAudio[] calls, int f)
    {
        byte last = 0;
        foreach (PhoneConferenceAudio call in calls)
        {
            ALaw.Decode(_phonePackets[f], _pcm8);
            call.OnPhoneAudio(_pcm8, concealed: false);
            call.Read(_mix8);
            ALaw.Encode(_mix8, _g711Out);
            last ^= _g711Out[0];
        }

        return last;
    }

    private void Deliver(IConferenceMediaSink sink, int track, int f)
    {
        var frame = new ConferenceFrame
        {
            Track = _tracks[track],
            Ssrc = (uint)track,
            RtpTimestamp = (uint)(f * 960),
            ClockRate = 48000,
            IsKeyFrame = true,
            AfterLoss = false,
            LooksEncrypted = false,
            ReceivedTimestamp = 0,
            Data = _trackPackets[track][f],
        };
        sink.OnFrame(in frame);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (PhoneConferenceAudio? audio in _ownSubscriptions.Concat(_shared).Concat(_local))
        {
            audio?.Dispose();
        }

        _room?.Dispose();
        _localRoom?.Dispose();
        GC.SuppressFinalize(this);
    }
}
