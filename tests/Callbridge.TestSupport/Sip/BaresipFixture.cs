using System.Globalization;
using System.Net;
using System.Text;
using Callbridge.Janus.Embedded;

namespace Callbridge.TestSupport.Sip;

/// <summary>
/// baresip 1.0.0 user agents without console or sound card: generated config (sip_listen,
/// net_interface, rtp_ports on the namespace address; aufile source; ALSA null player; sndfile
/// recording both directions) and an account with answermode=auto and no registration.
/// </summary>
public sealed class BaresipFixture : IAsyncLifetime, ILogSource
{
    private readonly List<BaresipInstance> _instances = [];
    private int _sequence;

    public string Name => "baresip";

    public IPAddress Address => TestEnvironment.TestIp;

    public IEnumerable<string> LogPaths
    {
        get
        {
            lock (_instances)
            {
                return _instances.SelectMany(i => i.LogPaths).ToArray();
            }
        }
    }

    public Task InitializeAsync()
    {
        TestEnvironment.RequireNetns(nameof(BaresipFixture));
        RequiredPrograms.Require(RequiredPrograms.Baresip);
        return Task.CompletedTask;
    }

    public BaresipInstance Start(BaresipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var n = Interlocked.Increment(ref _sequence);
        var name = string.Create(CultureInfo.InvariantCulture, $"{options.Name}-{n}");
        var folder = TestEnvironment.NewFolder("baresip-" + options.Name);
        var config = Path.Combine(folder, "config");
        var recordings = Path.Combine(folder, "recordings");
        Directory.CreateDirectory(config);
        Directory.CreateDirectory(recordings);
        var sipPort = FreePorts.Udp(Address);
        // 20 ports: one call needs RTP + RTCP; the rest covers re-INVITEs and a second call.
        var rtpMin = FreePorts.UdpBlock(Address, 20);
        var ip = Address.ToString();
        var text = new StringBuilder()
            .AppendLine("poll_method\t\tepoll")
            .AppendLine(Invariant($"sip_listen\t\t{ip}:{sipPort}"))
            .AppendLine("call_local_timeout\t30")
            .AppendLine("audio_player\t\talsa,null")
            .AppendLine(Invariant($"audio_source\t\taufile,{options.AudioSourceWav}"))
            .AppendLine("audio_alert\t\talsa,null")
            .AppendLine(Invariant($"rtp_ports\t\t{rtpMin}-{rtpMin + 19}"))
            .AppendLine(Invariant($"net_interface\t\t{ip}"))
            .AppendLine("module_path\t\t/usr/lib/baresip/modules");
        foreach (var codec in options.CodecModules)
        {
            text.AppendLine(Invariant($"module\t\t\t{codec}.so"));
        }

        text.AppendLine("module\t\t\taufile.so")
            .AppendLine("module\t\t\talsa.so")
            .AppendLine("module\t\t\tsndfile.so")
            .AppendLine("module_tmp\t\tuuid.so")
            .AppendLine("module_tmp\t\taccount.so")
            .AppendLine("module_app\t\tmenu.so")
            .AppendLine(Invariant($"snd_path\t\t{recordings}"));
        File.WriteAllText(Path.Combine(config, "config"), text.ToString());
        File.WriteAllText(Path.Combine(config, "accounts"), Invariant($"<sip:{options.User}@{ip}:{sipPort}>;regint=0;answermode=auto\n"));

        var args = new List<string> { "-f", config, "-t", ((int)Math.Ceiling(options.RunFor.TotalSeconds)).ToString(CultureInfo.InvariantCulture) };
        if (options.SipTrace)
        {
            args.Add("-s");
        }

        if (options.Dial is not null)
        {
            args.AddRange(["-e", "/dial " + options.Dial]);
        }

        var process = ChildProcess.Start(RequiredPrograms.Baresip, args, folder, Path.Combine(folder, "baresip.log"));
        var instance = new BaresipInstance(name, process, config, recordings, new IPEndPoint(Address, sipPort), options.User);
        lock (_instances)
        {
            _instances.Add(instance);
        }

        return instance;
    }

    public async Task DisposeAsync()
    {
        BaresipInstance[] instances;
        lock (_instances)
        {
            instances = [.. _instances];
        }

        foreach (var i in instances)
        {
            await i.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
