using System.Diagnostics;
using Callbridge.Janus.Embedded;
using Callbridge.TestSupport;

namespace Callbridge.Stack.Tests.Embedded;

/// <summary>Stopping a child ends its whole process group and nothing else.</summary>
public sealed class ChildProcessTests
{
    [Fact]
    public async Task Stop_ends_the_child_and_its_children_but_not_other_processes()
    {
        var folder = TestEnvironment.NewFolder("child");
        var pidFile = Path.Combine(folder, "grandchild.pid");
        await using var child = ChildProcess.Start("/bin/bash", ["-c", $"sleep 300 & echo $! > {pidFile}; echo started; wait"], folder, Path.Combine(folder, "child.log"));
        using var bystander = Process.Start("/bin/sleep", "300");
        try
        {
            // Both the grandchild's pid and the child's own line: the line is written after the pid file and reaches
            // the log through the output pump, so a stop right after the pid file can come before it.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!(File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0
                && ChildProcess.Tail(child.LogPath).Contains("started", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(IsAlive(grandchild));

            await child.StopAsync(TimeSpan.FromSeconds(3));

            Assert.True(child.HasExited);
            deadline = DateTime.UtcNow.AddSeconds(5);
            while (IsAlive(grandchild) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.False(IsAlive(grandchild), "the child's own child survived");
            Assert.False(bystander.HasExited, "a process outside the group was signalled");
            // What the child wrote before the stop stays in its log.
            Assert.Contains("started", ChildProcess.Tail(child.LogPath), StringComparison.Ordinal);
        }
        finally
        {
            bystander.Kill();
        }
    }

    // A killed orphan may stay a zombie until its new parent reaps it: zombies count as dead.
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
