using System.Diagnostics;
using System.Net.NetworkInformation;

namespace Callbridge.Ice.Tests;

/// <summary>
/// The veth pair of test-stack.md: cb0 = 198.18.0.1/24 (RFC 2544 benchmarking range), created inside the
/// private network namespace the tests run in. Refuses to touch a namespace that has any other interface.
/// </summary>
internal static class PrivateNetwork
{
    /// <summary>scripts/test-in-netns.sh exports these; the defaults are its defaults.</summary>
    public static readonly string Interface = Environment.GetEnvironmentVariable("CALLBRIDGE_TEST_IFACE") ?? "cb0";

    public static readonly string Address = Environment.GetEnvironmentVariable("CALLBRIDGE_TEST_IP") ?? "198.18.0.1";
    private static readonly object Gate = new();

    public static void Ensure()
    {
        lock (Gate)
        {
            string[] names = NetworkInterface.GetAllNetworkInterfaces().Select(n => n.Name).ToArray();
            string[] foreign = names.Where(n => n != "lo" && n != Interface && n != "cb1").ToArray();
            if (foreign.Length > 0)
            {
                Assert.Fail("These tests must run inside a private network namespace " +
                    "(unshare -n bash -c 'ip link set lo up; dotnet test ...'); found interfaces: " + string.Join(", ", foreign));
            }

            if (names.Contains(Interface))
            {
                return;
            }

            Run("ip", $"link add {Interface} type veth peer name cb1");
            Run("ip", "link set cb1 up");
            Run("ip", $"addr add {Address}/24 dev {Interface}");
            Run("ip", $"link set {Interface} up");
        }
    }

    private static void Run(string file, string arguments)
    {
        ProcessStartInfo info = new(file, arguments) { RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start (Debian package iproute2)");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {error}");
    }
}
