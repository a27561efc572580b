namespace Callbridge.PhoneMedia.Tests;

public sealed class PromptTests
{
    [Fact]
    public void Every_prompt_was_generated_at_build_time_as_8_khz_speech()
    {
        PhonePrompts prompts = PhonePrompts.LoadDefault();

        foreach (PhonePrompt prompt in Enum.GetValues<PhonePrompt>())
        {
            ReadOnlySpan<short> audio = prompts[prompt].Span;
            TimeSpan duration = prompts.DurationOf(prompt);
            Assert.InRange(duration.TotalSeconds, 0.3, 10);
            Assert.True(Tones.Rms(audio) > 500, $"{prompt} is too quiet to be speech: rms {Tones.Rms(audio)}");
        }

        // The refusal says a whole sentence; the goodbye one word.
        Assert.True(prompts.DurationOf(PhonePrompt.E2eeRefused) > 3 * prompts.DurationOf(PhonePrompt.Goodbye));
    }

    [Fact]
    public void Every_prompt_has_its_text_file()
    {
        string folder = Path.Combine(TestEnvironment.RepoRoot, "src", "Callbridge.PhoneMedia", "Prompts", "Text");

        Assert.Equal(
            Enum.GetNames<PhonePrompt>().Order(StringComparer.Ordinal),
            Directory.GetFiles(folder, "*.txt").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
        Assert.Contains("end-to-end encrypted; phone access is not available", File.ReadAllText(Path.Combine(folder, "E2eeRefused.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Player_streams_the_prompt_frame_by_frame_and_completes_on_its_last_frame()
    {
        short[] audio = Tones.Sine(400, 8000, 500);
        var player = new PromptPlayer { Fallback = new Constant(7) };
        Task done = player.PlayAsync(audio);
        var frame = new short[160];
        var heard = new List<short>();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(160, player.Read(frame));
            heard.AddRange(frame);
            Assert.False(done.IsCompleted);
        }

        Assert.Equal(160, player.Read(frame));
        heard.AddRange(frame);
        await done.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(audio, heard.Take(500));
        Assert.All(heard.Skip(500), s => Assert.Equal(0, s));
        Assert.Equal(160, player.Read(frame));
        Assert.All(frame, s => Assert.Equal(7, s));
    }

    [Fact]
    public async Task Queued_prompts_play_in_order_and_stop_cancels_the_rest()
    {
        var player = new PromptPlayer(PhonePrompts.LoadDefault());
        Task first = player.PlayAsync(PhonePrompt.Goodbye);
        Task second = player.PlayAsync(PhonePrompt.Welcome);
        var frame = new short[160];
        int frames = 0;
        while (!first.IsCompleted && frames < 1000)
        {
            player.Read(frame);
            frames++;
        }

        Assert.Equal((int)Math.Ceiling(PhonePrompts.LoadDefault()[PhonePrompt.Goodbye].Length / 160.0), frames);
        Assert.True(player.IsPlaying);
        player.Read(frame);
        player.Stop();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        Assert.False(player.IsPlaying);
        Assert.Equal(0, player.Read(frame));
    }

    [Fact]
    public async Task Cancelling_a_queued_prompt_skips_it()
    {
        var player = new PromptPlayer();
        using var cts = new CancellationTokenSource();
        Task skipped = player.PlayAsync(new short[320], cts.Token);
        Task played = player.PlayAsync(new short[] { 1, 2, 3 });
        await cts.CancelAsync();
        var frame = new short[160];

        player.Read(frame);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => skipped);
        await played.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([1, 2, 3], frame.Take(3));
    }

    private sealed class Constant(short value) : IPhoneAudioSource
    {
        public int Read(Span<short> frame8k)
        {
            frame8k.Fill(value);
            return frame8k.Length;
        }
    }
}
