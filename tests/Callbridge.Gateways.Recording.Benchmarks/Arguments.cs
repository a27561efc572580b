using System.Globalization;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>"--name value" pairs.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException("expected --name value, got " + args[i]);
            parsed._values[args[i][2..]] = args[i + 1];
        }

        return parsed;
    }

    public string Get(string name, string? fallback = null) =>
        _values.TryGetValue(name, out string? value) ? value : fallback ?? throw new ArgumentException("missing --" + name);

    public int GetInt(string name, int fallback) => _values.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<string> GetList(string name, string? fallback = null) =>
        Get(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
