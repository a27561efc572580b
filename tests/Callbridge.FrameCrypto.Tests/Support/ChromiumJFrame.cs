using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Callbridge.FrameCrypto.Tests.Support;

/// <summary>
/// Runs the transform script in a dedicated worker of real headless Chromium (Debian 'chromium') from
/// file:// pages only. The page logs one "RESULT {json}" console line, read from Chromium's stderr log.
/// </summary>
internal static class ChromiumJFrame
{
    public static JsonObject Run(JsonArray ops)
    {
        var dir = Directory.CreateTempSubdirectory("callbridge-jframe-chromium-");
        try
        {
            var nodeDir = Path.Combine(AppContext.BaseDirectory, "Node");
            File.Copy(NodeJFrame.TransformPath, Path.Combine(dir.FullName, "jframe-transform.js"));
            File.Copy(Path.Combine(nodeDir, "jframe-ops.js"), Path.Combine(dir.FullName, "jframe-ops.js"));
            File.Copy(Path.Combine(nodeDir, "chromium-worker-page.html"), Path.Combine(dir.FullName, "page.html"));
            File.WriteAllText(Path.Combine(dir.FullName, "request.json"), new JsonObject { ["ops"] = ops }.ToJsonString());
            var json = RunUntilResult(dir.FullName, TimeSpan.FromSeconds(180));
            var reply = JsonNode.Parse(json)!.AsObject();
            Assert.True(reply["ok"]!.GetValue<bool>(), "worker error: " + reply["error"]);
            return reply;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string RunUntilResult(string dir, TimeSpan timeout)
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/lib/chromium/chromium" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium not found: install the Debian package 'chromium'.");
        var info = new ProcessStartInfo(chromium)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--allow-file-access-from-files", "--user-data-dir=" + Path.Combine(dir, "profile"),
                     "--enable-logging=stderr", "--v=0", new Uri(Path.Combine(dir, "page.html")).AbsoluteUri,
                 })
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var result = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            // [..:INFO:CONSOLE(n)] "RESULT {json}", source: file:///.../page.html (n)
            int start = e.Data.IndexOf("\"RESULT ", StringComparison.Ordinal);
            int end = e.Data.LastIndexOf("\", source:", StringComparison.Ordinal);
            if (start >= 0 && end > start)
            {
                result.TrySetResult(e.Data[(start + 8)..end]);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            bool done = result.Task.Wait(timeout);
            if (!done)
            {
                string text;
                lock (log)
                {
                    text = log.ToString();
                }

                Assert.Fail($"no RESULT from chromium within {timeout}; log tail: {text[Math.Max(0, text.Length - 2000)..]}");
            }

            return result.Task.Result;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
        }
    }
}
