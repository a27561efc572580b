namespace Callbridge.Speech.Whisper;

/// <summary>
/// The ggml model files whisper.cpp publishes (models/README.md and the main README's memory table of
/// whisper.cpp), for <see cref="WhisperOptions.ModelPath"/>. No package registry ships them: the operator
/// downloads one (whisper.cpp's models/download-ggml-model.sh) and points the options at it.
/// </summary>
public static class WhisperModels
{
    /// <summary>File name, disk size and the approximate memory whisper.cpp documents for it.</summary>
    public sealed record ModelFile(string FileName, string DiskSize, string Memory, bool EnglishOnly);

    /// <summary>Fastest; fine for captions on a 2-core host, weakest accuracy.</summary>
    public static readonly ModelFile TinyEn = new("ggml-tiny.en.bin", "75 MiB", "~273 MB", true);

    /// <summary>Recommended default for live English captions: about real time on one core.</summary>
    public static readonly ModelFile BaseEn = new("ggml-base.en.bin", "142 MiB", "~388 MB", true);

    /// <summary>Noticeably better text; wants about two cores per real-time stream.</summary>
    public static readonly ModelFile SmallEn = new("ggml-small.en.bin", "466 MiB", "~852 MB", true);

    public static readonly ModelFile MediumEn = new("ggml-medium.en.bin", "1.5 GiB", "~2.1 GB", true);

    /// <summary>Multilingual, needs a GPU to keep up with live audio.</summary>
    public static readonly ModelFile LargeV3 = new("ggml-large-v3.bin", "2.9 GiB", "~3.9 GB", false);

    public static IReadOnlyList<ModelFile> All { get; } = [TinyEn, BaseEn, SmallEn, MediumEn, LargeV3];
}
