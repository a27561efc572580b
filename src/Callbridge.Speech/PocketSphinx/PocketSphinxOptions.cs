namespace Callbridge.Speech.PocketSphinx;

/// <summary>Model location and limits of <see cref="PocketSphinxEngine"/>.</summary>
public sealed record PocketSphinxOptions
{
    /// <summary>Where Debian's pocketsphinx-en-us puts the US English model.</summary>
    public const string DebianModelDirectory = "/usr/share/pocketsphinx/model/en-us";

    public string ModelDirectory { get; init; } = DebianModelDirectory;

    /// <summary>Acoustic model directory, relative to <see cref="ModelDirectory"/> unless rooted.</summary>
    public string AcousticModel { get; init; } = "en-us";

    public string LanguageModel { get; init; } = "en-us.lm.bin";

    public string Dictionary { get; init; } = "cmudict-en-us.dict";

    /// <summary>
    /// Decoders alive at once. Each loads its own copy of the model (about 90 MiB resident, measured by
    /// the benchmark's capacity mode) and one real-time stream costs about 0.15 of a core, so 8 decoders
    /// (about 0.75 GiB, 1.2 cores) fit a 2-core host with headroom for the media path.
    /// </summary>
    public int MaxDecoders { get; init; } = 8;

    /// <summary>Extra pocketsphinx arguments ("-name", "value" pairs), passed after the model paths.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    internal string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine(ModelDirectory, path);
}
