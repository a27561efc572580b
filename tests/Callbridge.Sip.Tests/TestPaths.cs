namespace Callbridge.Sip.Tests;

internal static class TestPaths
{
    /// <summary>The shared folder: env CALLBRIDGE_SHARED_DIR, else &lt;root&gt;/shared beside &lt;root&gt;/main.</summary>
    public static string SharedDir
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("CALLBRIDGE_SHARED_DIR");
            if (!string.IsNullOrEmpty(env)) return env;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Callbridge.Gateways.sln"))) dir = dir.Parent;
            if (dir?.Parent is null) throw new InvalidOperationException("repo root (Callbridge.Gateways.sln) not found above " + AppContext.BaseDirectory);
            return Path.Combine(dir.Parent.FullName, "shared");
        }
    }

    public static string TortureDir => Path.Combine(SharedDir, "vectors", "rfc4475");

    /// <summary>The vectors are stored with LF line ends; SIP needs CRLF (README of the folder).</summary>
    public static byte[] LoadTorture(string name)
    {
        var raw = File.ReadAllBytes(Path.Combine(TortureDir, name + ".dat"));
        var o = new List<byte>(raw.Length + 64);
        for (int i = 0; i < raw.Length; i++)
        {
            // Two files (intmeth, mpart01) already carry CRLF; only a bare LF is widened.
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) o.Add((byte)'\r');
            o.Add(raw[i]);
        }
        return o.ToArray();
    }
}
