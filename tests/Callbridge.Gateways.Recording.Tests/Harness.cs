using System.Diagnostics;
using System.Text.Json;
using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Storage;
using Callbridge.Storage.Local;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>A recording factory on a scripted conference, a local blob folder and an audit log with one decision.</summary>
internal sealed class Harness
{
    public const string ConferenceId = "1234";
    public const string Tenant = "acme";

    public Harness(string? root = null, Action<RecordingOptions>? configure = null, IBlobSink? sink = null)
    {
        Root = root ?? TestEnvironment.NewFolder("recording");
        Sink = sink ?? new LocalFolderBlobSink(Path.Combine(Root, "blobs"));
        Options = new RecordingOptions
        {
            SpoolFolder = Path.Combine(Root, "spool"),
            UploadInterval = TimeSpan.FromMilliseconds(200),
            UploadBlockSize = 64 * 1024,
            UploadRetryWindow = TimeSpan.FromSeconds(60),
            CompositeWidth = 640,
            CompositeHeight = 240,
            KeepSpool = true,
        };
        configure?.Invoke(Options);
        // The decision the host asked for before starting, recorded by the real negotiator.
        Negotiator = new CapabilityNegotiator(Audit, TimeProvider.System);
        JoinDecision = Negotiator.Decide(ConferenceId, "rec-1", GatewayRequest.For(GatewayKind.Recording, GatewayPhase.AboutToJoin),
            ConferenceE2eeState.Clear, TenantPolicy.Open);
        Factory = new RecordingGatewayFactory(Conference, Sink, Microsoft.Extensions.Options.Options.Create(Options), Audit);
    }

    public string Root { get; }
    public ScriptedConference Conference { get; } = new(ConferenceId);
    public IBlobSink Sink { get; }
    public InMemoryDecisionAuditLog Audit { get; } = new();
    public CapabilityNegotiator Negotiator { get; }
    public CapabilityDecision JoinDecision { get; }
    public RecordingObserver Observer { get; } = new();
    public RecordingOptions Options { get; }
    public RecordingGatewayFactory Factory { get; }

    /// <summary>Arrival times are given from here (a <see cref="TimeProvider.System"/> timestamp).</summary>
    public long T0 { get; private set; }

    public ScriptedConferenceSession Session => Conference.Sessions[^1];

    public ScriptedSubscription Subscription => Session.Subscriptions[^1];

    public async Task<IGateway> StartAsync(string gatewayId = "rec-1")
    {
        IGateway gateway = await Factory.StartAsync(new GatewayLaunch(Tenant, ConferenceId, gatewayId, null, Observer), default);
        T0 = TimeProvider.System.GetTimestamp();
        return gateway;
    }

    /// <summary>Delivers a frame as if it had arrived <paramref name="arrival"/> + its media time after <see cref="T0"/>.</summary>
    public void Send(string trackId, EncodedFrame frame, TimeSpan arrival, DateTimeOffset? senderBase, bool video, bool encrypted = false, uint ssrc = 7, bool afterLoss = false)
    {
        int clock = video ? 90000 : 48000;
        uint rtp = unchecked((uint)(frame.Time.TotalSeconds * clock) + 0xFFFF_0000u); // wraps within the first second
        long received = T0 + (long)((arrival + frame.Time).TotalSeconds * Stopwatch.Frequency);
        Session.Deliver(trackId, frame.Data, rtp, frame.KeyFrame, encrypted, senderBase + frame.Time, ssrc, received, afterLoss);
    }

    public static string Prefix(string gatewayId = "rec-1") => $"{Tenant}/{ConferenceId}/{gatewayId}";

    public async Task<JsonElement> ManifestAsync(string gatewayId = "rec-1")
    {
        byte[]? json = await Sink.GetAsync(Prefix(gatewayId) + "/manifest.json", default);
        Assert.NotNull(json);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>Writes a committed blob to a file, for ffprobe and ffmpeg.</summary>
    public async Task<string> DownloadAsync(string blob)
    {
        byte[]? content = await Sink.GetAsync(blob, default);
        Assert.NotNull(content);
        string path = Path.Combine(Root, "downloads", blob.Replace('/', '_'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    public static PublishedTrack Track(string participant, string mid, TrackKind kind) =>
        new($"{participant}/{mid}", participant, mid, kind, kind == TrackKind.Audio ? "opus" : "vp8");
}
