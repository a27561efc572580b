using System.Runtime.InteropServices;
using Callbridge.Speech.Recognition;

namespace Callbridge.Speech.PocketSphinx;

/// <summary>
/// In-process CMU PocketSphinx (Debian pocketsphinx 0.8+5prealpha, model from pocketsphinx-en-us).
/// Hands out at most <see cref="MaxDecoders"/> decoders, one per stream; returned decoders are kept
/// and reused so the model is loaded once per decoder, not once per stream. Leasing is thread-safe.
/// </summary>
public sealed class PocketSphinxEngine : ISpeechEngine, ISpeechEngineHealth
{
    private const string ModelPackage = "pocketsphinx-en-us";

    private readonly PocketSphinxOptions _options;
    private readonly Lock _lock = new();
    private readonly Stack<PocketSphinxDecoder> _idle = new();
    private int _created;
    private bool _disposed;

    public PocketSphinxEngine(PocketSphinxOptions? options = null)
    {
        _options = options ?? new PocketSphinxOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.MaxDecoders);
        EnsureLibrary(PocketSphinxNative.SphinxBase, PocketSphinxNative.SphinxBasePackage);
        EnsureLibrary(PocketSphinxNative.PocketSphinx, PocketSphinxNative.PocketSphinxPackage);
        foreach (string file in new[] { Path.Combine(_options.Resolve(_options.AcousticModel), "mdef"), _options.Resolve(_options.LanguageModel), _options.Resolve(_options.Dictionary) })
        {
            if (!File.Exists(file))
            {
                throw new SpeechEngineException(SpeechEngineError.ModelMissing, $"PocketSphinx model file '{file}' not found.", ModelPackage);
            }
        }
    }

    public int MaxDecoders => _options.MaxDecoders;

    /// <summary>In process: nothing to restart; unhealthy only once disposed.</summary>
    public SpeechEngineHealth GetHealth()
    {
        lock (_lock)
        {
            return new SpeechEngineHealth("pocketsphinx", !_disposed, 0, _disposed ? "The engine was disposed." : null);
        }
    }

    /// <summary>Decoders created so far (leased or idle).</summary>
    public int DecodersCreated
    {
        get
        {
            lock (_lock)
            {
                return _created;
            }
        }
    }

    public ISpeechDecoder? TryLease()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out PocketSphinxDecoder? idle))
            {
                return idle;
            }

            if (_created >= _options.MaxDecoders)
            {
                return null;
            }

            _created++;
        }

        try
        {
            return PocketSphinxDecoder.Create(_options);
        }
        catch
        {
            lock (_lock)
            {
                _created--;
            }

            throw;
        }
    }

    public void Return(ISpeechDecoder decoder)
    {
        var ps = (PocketSphinxDecoder)decoder;
        ps.AbandonUtterance();
        lock (_lock)
        {
            if (!_disposed)
            {
                _idle.Push(ps);
                return;
            }

            _created--;
        }

        ps.Dispose();
    }

    /// <summary>Frees idle decoders; decoders still leased are freed when returned.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_idle.TryPop(out PocketSphinxDecoder? ps))
            {
                ps.Dispose();
                _created--;
            }
        }
    }

    private static void EnsureLibrary(string soname, string package)
    {
        if (!NativeLibrary.TryLoad(soname, out _))
        {
            throw new SpeechEngineException(SpeechEngineError.LibraryMissing, $"Native library '{soname}' could not be loaded.", package);
        }
    }
}
