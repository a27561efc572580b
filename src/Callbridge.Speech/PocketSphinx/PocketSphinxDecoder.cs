using System.Runtime.InteropServices;
using Callbridge.Speech.Recognition;

namespace Callbridge.Speech.PocketSphinx;

/// <summary>
/// One ps_decoder_t. Thread-safety: pocketsphinx decoders share no mutable state with each other, but
/// one decoder must only be used by one thread at a time; a recognition stream owns it exclusively.
/// </summary>
internal sealed unsafe class PocketSphinxDecoder : ISpeechDecoder
{
    private static readonly Lock s_initLock = new();
    private static bool s_loggingSilenced;

    private IntPtr _ps;
    private bool _inUtterance;

    private PocketSphinxDecoder(IntPtr ps) => _ps = ps;

    public static PocketSphinxDecoder Create(PocketSphinxOptions options)
    {
        string[] args =
        [
            "-hmm", options.Resolve(options.AcousticModel),
            "-lm", options.Resolve(options.LanguageModel),
            "-dict", options.Resolve(options.Dictionary),
            .. options.ExtraArguments,
        ];
        lock (s_initLock)
        {
            if (!s_loggingSilenced)
            {
                // sphinxbase logs every parameter and model statistic to stderr; NULL turns logging off.
                PocketSphinxNative.err_set_logfp(IntPtr.Zero);
                s_loggingSilenced = true;
            }
        }

        IntPtr* argv = stackalloc IntPtr[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            argv[i] = Marshal.StringToCoTaskMemUTF8(args[i]);
        }

        IntPtr config;
        try
        {
            // cmd_ln_parse_r copies the strings it keeps.
            config = PocketSphinxNative.cmd_ln_parse_r(IntPtr.Zero, PocketSphinxNative.ps_args(), args.Length, argv, 1);
        }
        finally
        {
            for (int i = 0; i < args.Length; i++)
            {
                Marshal.FreeCoTaskMem(argv[i]);
            }
        }

        if (config == IntPtr.Zero)
        {
            throw new SpeechEngineException(SpeechEngineError.InvalidConfiguration, $"pocketsphinx rejected its arguments: {string.Join(' ', args)}.");
        }

        // ps_init takes its own reference to the configuration.
        IntPtr ps = PocketSphinxNative.ps_init(config);
        PocketSphinxNative.cmd_ln_free_r(config);
        if (ps == IntPtr.Zero)
        {
            throw new SpeechEngineException(SpeechEngineError.DecoderFailed, "ps_init failed to load the model.");
        }

        return new PocketSphinxDecoder(ps);
    }

    public void StartUtterance()
    {
        ObjectDisposedException.ThrowIf(_ps == IntPtr.Zero, this);
        if (PocketSphinxNative.ps_start_utt(_ps) < 0)
        {
            throw new SpeechEngineException(SpeechEngineError.DecoderFailed, "ps_start_utt failed.");
        }

        _inUtterance = true;
    }

    public void Process(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return;
        }

        int searched;
        fixed (short* p = samples)
        {
            searched = PocketSphinxNative.ps_process_raw(_ps, p, (nuint)samples.Length, 0, 0);
        }

        if (searched < 0)
        {
            throw new SpeechEngineException(SpeechEngineError.DecoderFailed, "ps_process_raw failed.");
        }
    }

    public string GetPartial()
    {
        IntPtr hyp = PocketSphinxNative.ps_get_hyp(_ps, out _);
        return hyp == IntPtr.Zero ? string.Empty : Marshal.PtrToStringUTF8(hyp) ?? string.Empty;
    }

    public (string Text, double? Confidence) EndUtterance()
    {
        if (PocketSphinxNative.ps_end_utt(_ps) < 0)
        {
            throw new SpeechEngineException(SpeechEngineError.DecoderFailed, "ps_end_utt failed.");
        }

        _inUtterance = false;
        string text = GetPartial();
        if (text.Length == 0)
        {
            return (text, null);
        }

        // ps_get_prob is the log posterior of the best path from the lattice (-bestpath, on by default);
        // logmath_exp turns it into 0..1.
        int logProb = PocketSphinxNative.ps_get_prob(_ps);
        double confidence = PocketSphinxNative.logmath_exp(PocketSphinxNative.ps_get_logmath(_ps), logProb);
        return (text, Math.Clamp(confidence, 0, 1));
    }

    /// <summary>Closes an utterance left open (a stream that failed or was abandoned) before reuse.</summary>
    internal void AbandonUtterance()
    {
        if (_inUtterance && _ps != IntPtr.Zero)
        {
            PocketSphinxNative.ps_end_utt(_ps);
            _inUtterance = false;
        }
    }

    public void Dispose()
    {
        if (_ps == IntPtr.Zero)
        {
            return;
        }

        if (_inUtterance)
        {
            PocketSphinxNative.ps_end_utt(_ps);
        }

        PocketSphinxNative.ps_free(_ps);
        _ps = IntPtr.Zero;
    }
}
