namespace Callbridge.TestSupport;

/// <summary>Programs the fixtures start, with their packages; a missing one fails loudly.</summary>
public static class RequiredPrograms
{
    public const string Janus = "/usr/bin/janus";
    public const string Chromium = "/usr/bin/chromium";
    public const string Sipp = "/usr/bin/sipp";
    public const string Baresip = "/usr/bin/baresip";
    public const string Flite = "/usr/bin/flite";
    public const string Sox = "/usr/bin/sox";
    public const string Ffmpeg = "/usr/bin/ffmpeg";
    public const string Ffprobe = "/usr/bin/ffprobe";
    public const string EspeakNg = "/usr/bin/espeak-ng";
    public const string JanusJs = "/usr/share/javascript/janus-gateway/janus.js";
    public const string AdapterJs = "/usr/share/javascript/webrtc-adapter/adapter.js";
    public const string SippPcapFolder = "/usr/share/sip-tester";

    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        [Janus] = "Debian package janus",
        [Chromium] = "Debian package chromium",
        [Sipp] = "Debian package sip-tester",
        [Baresip] = "Debian package baresip",
        [Flite] = "Debian package flite",
        [Sox] = "Debian package sox",
        [Ffmpeg] = "Debian package ffmpeg",
        [Ffprobe] = "Debian package ffmpeg",
        [EspeakNg] = "Debian package espeak-ng",
        [JanusJs] = "Debian package libjs-janus-gateway",
        [AdapterJs] = "Debian package libjs-webrtc-adapter",
        [SippPcapFolder] = "Debian package sip-tester",
    };

    /// <summary>Azurite's blob server in the project-local npm tools folder.</summary>
    public static string AzuriteBlob => Path.Combine(TestEnvironment.RepoRoot, ".tools", "node_modules", ".bin", "azurite-blob");

    /// <summary>Returns <paramref name="path"/> if it exists, else throws naming its package.</summary>
    public static string Require(string path)
    {
        if (File.Exists(path) || Directory.Exists(path))
        {
            return path;
        }

        var package = path == AzuriteBlob
            ? "npm azurite@3.37.0 into .tools/ (scripts/tools/package.json)"
            : Packages.GetValueOrDefault(path, "the package that provides it");
        throw new MissingProgramException(path, package);
    }
}
