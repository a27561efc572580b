using System.Globalization;
using System.Net;
using Callbridge.Janus.Embedded;

namespace Callbridge.TestSupport.Sip;

/// <summary>
/// sipp (Debian sip-tester) with the project's scenarios, run in a folder where <c>pcap/</c> links
/// to /usr/share/sip-tester (scenarios say <c>play_pcap_audio="pcap/g711a.pcap"</c>). Every run
/// gets <c>-i/-mi</c> = the namespace address, <c>-nostdin</c>, <c>-m</c> and <c>-timeout</c>.
/// </summary>
public sealed class SippFixture : IAsyncLifetime, ILogSource
{
    private readonly List<SippInstance> _instances = [];

    public string Name => "sipp";

    /// <summary>Working folder of every sipp run (scenarios, pcap link, logs).</summary>
    public string Folder { get; private set; } = string.Empty;

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
        TestEnvironment.RequireNetns(nameof(SippFixture));
        RequiredPrograms.Require(RequiredPrograms.Sipp);
        RequiredPrograms.Require(Path.Combine(RequiredPrograms.SippPcapFolder, "g711a.pcap"));
        Folder = TestEnvironment.NewFolder("sipp");
        foreach (var scenario in Directory.EnumerateFiles(Path.Combine(TestEnvironment.ContentFolder, "sipp"), "*.xml"))
        {
            File.Copy(scenario, Path.Combine(Folder, Path.GetFileName(scenario)), overwrite: true);
        }

        Directory.CreateSymbolicLink(Path.Combine(Folder, "pcap"), RequiredPrograms.SippPcapFolder);
        return Task.CompletedTask;
    }

    /// <summary>Starts sipp in the background (servers, or clients the test waits on later).</summary>
    public SippInstance Start(SippOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var n = Interlocked.Increment(ref _sequence);
        var name = string.Create(CultureInfo.InvariantCulture, $"{options.Name}-{n}");
        var port = options.Port == 0 ? FreePorts.Udp(Address) : options.Port;
        // sipp uses the media port and the next ones for RTP/RTCP (and video): reserve a block of 4.
        var mediaPort = FreePorts.UdpBlock(Address, 4);
        var messageLog = Path.Combine(Folder, name + ".messages.log");
        var errorLog = Path.Combine(Folder, name + ".errors.log");
        var ip = Address.ToString();
        var args = new List<string>();
        if (options.BuiltIn)
        {
            args.AddRange(["-sn", options.Scenario]);
        }
        else
        {
            var path = Path.Combine(Folder, options.Scenario);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"sipp scenario {options.Scenario} not in {Folder}", path);
            }

            args.AddRange(["-sf", path]);
        }

        if (options.Target is not null)
        {
            args.Add(options.Target.ToString());
        }

        args.AddRange(
        [
            "-i", ip, "-mi", ip,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-mp", mediaPort.ToString(CultureInfo.InvariantCulture),
            "-s", options.Service,
            "-nostdin",
            "-m", options.Calls.ToString(CultureInfo.InvariantCulture),
            "-timeout", ((int)Math.Ceiling(options.Timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s",
            "-timeout_error",
            "-trace_err", "-error_file", errorLog,
            "-trace_msg", "-message_file", messageLog,
        ]);
        args.AddRange(options.ExtraArgs);
        var process = ChildProcess.Start(RequiredPrograms.Sipp, args, Folder, Path.Combine(Folder, name + ".stdout.log"));
        var instance = new SippInstance(name, process, new IPEndPoint(Address, port), mediaPort, messageLog, errorLog);
        lock (_instances)
        {
            _instances.Add(instance);
        }

        return instance;
    }

    /// <summary>Runs a client scenario to completion and returns sipp's exit code.</summary>
    public async Task<int> RunAsync(SippOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var instance = Start(options);
        return await instance.WaitForExitAsync(options.Timeout + TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private int _sequence;

    public async Task DisposeAsync()
    {
        SippInstance[] instances;
        lock (_instances)
        {
            instances = [.. _instances];
        }

        foreach (var i in instances)
        {
            await i.DisposeAsync().ConfigureAwait(false);
        }
    }
}
