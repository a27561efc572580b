using System.Globalization;

namespace Callbridge.ClientCaptions.Keys;

/// <summary>
/// Where the participant's conference key comes from: a file (re-read when it changes, so a rotated key can be
/// added mid-call), an environment variable, or standard input (the first key line, then one line per later
/// key). Keys are kept in memory only: never logged, never written, never sent.
/// </summary>
public abstract class ConferenceKeySource
{
    /// <summary>Where the key comes from, for messages ("file keys.txt"); never the key itself.</summary>
    public abstract string Description { get; }

    /// <summary>The keys available now; at least one, or <see cref="KeySourceException"/>.</summary>
    public abstract Task<IReadOnlyList<ConferenceKey>> ReadInitialAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Delivers keys that arrive later (rotation) until cancelled. <paramref name="onProblem"/> gets a sentence
    /// when a later key cannot be read; the keys already given stay in use.
    /// </summary>
    public virtual Task WatchAsync(Action<ConferenceKey> onKey, Action<string> onProblem, CancellationToken cancellationToken) => Task.CompletedTask;

    public static ConferenceKeySource FromFile(string path, TimeSpan? pollInterval = null, TimeProvider? timeProvider = null) =>
        new FileKeySource(path, pollInterval ?? TimeSpan.FromMilliseconds(500), timeProvider ?? TimeProvider.System);

    public static ConferenceKeySource FromEnvironment(string variable, Func<string, string?>? getVariable = null) =>
        new EnvironmentKeySource(variable, getVariable ?? Environment.GetEnvironmentVariable);

    public static ConferenceKeySource FromReader(TextReader reader, string description = "standard input") =>
        new ReaderKeySource(reader, description);

    private protected static IReadOnlyList<ConferenceKey> Parse(string text, string description)
    {
        var keys = new List<ConferenceKey>();
        var error = ConferenceKeyParser.ParseAll(text, keys, out int line);
        if (error != KeyParseError.None)
        {
            foreach (var k in keys)
            {
                k.Dispose();
            }

            throw new KeySourceException(string.Create(CultureInfo.InvariantCulture, $"Cannot use the conference key from {description}, line {line}: {ConferenceKeyParser.Explain(error)}."));
        }

        if (keys.Count == 0)
        {
            throw new KeySourceException($"No conference key in {description}.");
        }

        return keys;
    }

    private sealed class FileKeySource(string path, TimeSpan pollInterval, TimeProvider time) : ConferenceKeySource
    {
        private (DateTime Written, long Length) _seen;

        public override string Description => "file " + path;

        public override async Task<IReadOnlyList<ConferenceKey>> ReadInitialAsync(CancellationToken cancellationToken)
        {
            var (text, stamp) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            _seen = stamp;
            return Parse(text, Description);
        }

        public override async Task WatchAsync(Action<ConferenceKey> onKey, Action<string> onProblem, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(pollInterval, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var info = new FileInfo(path);
                if (!info.Exists || (info.LastWriteTimeUtc, info.Length) == _seen)
                {
                    continue;
                }

                try
                {
                    var (text, stamp) = await ReadAsync(cancellationToken).ConfigureAwait(false);
                    _seen = stamp;
                    foreach (var key in Parse(text, Description))
                    {
                        onKey(key);
                    }
                }
                catch (KeySourceException e)
                {
                    onProblem(e.Message + " The keys read before stay in use.");
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        private async Task<(string Text, (DateTime, long) Stamp)> ReadAsync(CancellationToken cancellationToken)
        {
            try
            {
                var info = new FileInfo(path);
                var stamp = (info.LastWriteTimeUtc, info.Length);
                string text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                return (text, stamp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KeySourceException($"Cannot read the conference key file {path}: {e.Message}", e);
            }
        }
    }

    private sealed class EnvironmentKeySource(string variable, Func<string, string?> getVariable) : ConferenceKeySource
    {
        public override string Description => "environment variable " + variable;

        public override Task<IReadOnlyList<ConferenceKey>> ReadInitialAsync(CancellationToken cancellationToken)
        {
            string? value = getVariable(variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new KeySourceException($"The environment variable {variable} is not set or empty.");
            }

            // Several keys may be given separated by ';' or ',' (a variable holds one line conveniently).
            return Task.FromResult(Parse(value.Replace(';', '\n').Replace(',', '\n'), Description));
        }
    }

    private sealed class ReaderKeySource(TextReader reader, string description) : ConferenceKeySource
    {
        public override string Description => description;

        public override async Task<IReadOnlyList<ConferenceKey>> ReadInitialAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                string? line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new KeySourceException($"No conference key on {description}.");
                if (!ConferenceKeyParser.IsSkippable(line))
                {
                    return Parse(line, description);
                }
            }
        }

        public override async Task WatchAsync(Action<ConferenceKey> onKey, Action<string> onProblem, CancellationToken cancellationToken)
        {
            try
            {
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (ConferenceKeyParser.IsSkippable(line))
                    {
                        continue;
                    }

                    var error = ConferenceKeyParser.TryParse(line, out var key);
                    if (error == KeyParseError.None)
                    {
                        onKey(key!);
                    }
                    else
                    {
                        onProblem($"Ignored a key line on {description}: {ConferenceKeyParser.Explain(error)}.");
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
