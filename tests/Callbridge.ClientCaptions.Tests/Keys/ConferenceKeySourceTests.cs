using Callbridge.ClientCaptions.Keys;
using Callbridge.TestSupport;

namespace Callbridge.ClientCaptions.Tests.Keys;

public sealed class ConferenceKeySourceTests
{
    private const string K0 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private const string K1 = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";

    [Fact]
    public async Task A_key_file_is_read_and_a_key_appended_during_the_call_is_delivered()
    {
        string path = Path.Combine(TestEnvironment.NewFolder("keys"), "conference.key");
        await File.WriteAllTextAsync(path, $"# room key\n0={K0}\n");
        var source = ConferenceKeySource.FromFile(path, TimeSpan.FromMilliseconds(50));
        var initial = await source.ReadInitialAsync(CancellationToken.None);
        Assert.Equal([0], initial.Select(k => k.Index));
        Assert.Equal(Convert.FromHexString(K0), initial[0].Material.ToArray());

        var seen = new List<int>();
        var problems = new List<string>();
        using var stop = new CancellationTokenSource();
        Task watch = source.WatchAsync(k => { lock (seen) seen.Add(k.Index); }, p => { lock (problems) problems.Add(p); }, stop.Token);
        await Task.Delay(120);
        await File.AppendAllTextAsync(path, $"1={K1}\n");
        await WaitUntil(() => { lock (seen) return seen.Contains(1); });

        // A broken rewrite is reported without the key text, and the watch goes on.
        await File.WriteAllTextAsync(path, "0=" + K0[..20] + "zz\n");
        await WaitUntil(() => { lock (problems) return problems.Count > 0; });
        await stop.CancelAsync();
        await watch;
        Assert.Contains(path, problems[0], StringComparison.Ordinal);
        Assert.DoesNotContain(K0[..20], problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_an_empty_variable_and_empty_stdin_are_typed_errors_that_name_the_source()
    {
        var missing = await Assert.ThrowsAsync<KeySourceException>(() => ConferenceKeySource.FromFile("/nonexistent/conference.key").ReadInitialAsync(CancellationToken.None));
        Assert.Contains("/nonexistent/conference.key", missing.Message, StringComparison.Ordinal);

        var unset = await Assert.ThrowsAsync<KeySourceException>(() => ConferenceKeySource.FromEnvironment("CB_KEY", _ => null).ReadInitialAsync(CancellationToken.None));
        Assert.Contains("CB_KEY", unset.Message, StringComparison.Ordinal);

        var empty = await Assert.ThrowsAsync<KeySourceException>(() => ConferenceKeySource.FromReader(new StringReader("# nothing\n\n")).ReadInitialAsync(CancellationToken.None));
        Assert.Contains("standard input", empty.Message, StringComparison.Ordinal);

        var bad = await Assert.ThrowsAsync<KeySourceException>(() => ConferenceKeySource.FromEnvironment("CB_KEY", _ => "0=" + K0 + ";1=" + K1[..30]).ReadInitialAsync(CancellationToken.None));
        Assert.Contains("line 2", bad.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(K1[..30], bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_environment_variable_may_hold_several_keys_and_stdin_gives_one_first_then_later_ones()
    {
        var fromEnv = await ConferenceKeySource.FromEnvironment("CB_KEY", name => name == "CB_KEY" ? $"0={K0}; 1=base64:{Convert.ToBase64String(Convert.FromHexString(K1))}" : null)
            .ReadInitialAsync(CancellationToken.None);
        Assert.Equal([0, 1], fromEnv.Select(k => k.Index));
        Assert.Equal(Convert.FromHexString(K1), fromEnv[1].Material.ToArray());

        var stdin = ConferenceKeySource.FromReader(new StringReader($"\n{K0}\n2={K1}\nnot a key\n"));
        var first = await stdin.ReadInitialAsync(CancellationToken.None);
        Assert.Equal([0], first.Select(k => k.Index));
        var later = new List<int>();
        var problems = new List<string>();
        await stdin.WatchAsync(k => later.Add(k.Index), problems.Add, CancellationToken.None);
        Assert.Equal([2], later);
        Assert.Single(problems);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20);
        }
    }
}
