using System.Net;

namespace Callbridge.TestSupport.Sip;

/// <summary>One sipp run.</summary>
public sealed class SippOptions
{
    /// <summary>Scenario file name in the fixture's scenario folder (e.g. "uas_pcma_pcap.xml"), or a built-in name ("uas", "uac") when <see cref="BuiltIn"/>.</summary>
    public required string Scenario { get; init; }

    public bool BuiltIn { get; init; }

    /// <summary>Short name for log files.</summary>
    public string Name { get; init; } = "sipp";

    /// <summary>Local SIP port; 0 picks a free UDP port.</summary>
    public int Port { get; init; }

    /// <summary>Remote party for a client scenario; null for a server.</summary>
    public IPEndPoint? Target { get; init; }

    /// <summary>User part of the request URI ([service]).</summary>
    public string Service { get; init; } = "callbridge";

    /// <summary>Calls before sipp exits (-m).</summary>
    public int Calls { get; init; } = 1;

    /// <summary>Global limit (-timeout, with -timeout_error so reaching it is a failure).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra arguments.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
}
