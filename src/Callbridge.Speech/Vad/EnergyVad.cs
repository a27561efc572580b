using Callbridge.Audio.Levels;

namespace Callbridge.Speech.Vad;

/// <summary>
/// Energy-based voice activity detector with an adaptive noise floor, an onset count and a hangover
/// (thresholds in <see cref="EnergyVadOptions"/>). Feed consecutive frames of
/// <see cref="FrameSamples"/> samples. Allocates nothing. Not thread-safe.
/// </summary>
public sealed class EnergyVad
{
    private readonly EnergyVadOptions _options;
    private readonly int _hangoverFrames;
    private double _noiseFloorDbfs;
    private int _voicedRun;
    private int _unvoicedRun;

    public EnergyVad(int sampleRate, EnergyVadOptions? options = null)
    {
        _options = options ?? new EnergyVadOptions();
        FrameSamples = (int)(sampleRate * _options.Frame.TotalSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FrameSamples);
        _hangoverFrames = Math.Max(1, (int)Math.Round(_options.Hangover / _options.Frame));
        _noiseFloorDbfs = _options.NoiseFloorMinDbfs;
    }

    public int FrameSamples { get; }

    public bool InSpeech { get; private set; }

    /// <summary>Whether the last frame alone was above both thresholds.</summary>
    public bool LastFrameVoiced { get; private set; }

    public double NoiseFloorDbfs => _noiseFloorDbfs;

    public VadEvent Process(ReadOnlySpan<short> frame)
    {
        double level = AudioLevel.Dbfs(frame);
        bool voiced = level >= _options.MinSpeechDbfs && level >= _noiseFloorDbfs + _options.MarginOverNoiseDb;
        LastFrameVoiced = voiced;
        if (level < _noiseFloorDbfs)
        {
            _noiseFloorDbfs = Math.Max(level, _options.NoiseFloorMinDbfs);
        }
        else
        {
            _noiseFloorDbfs += (level - _noiseFloorDbfs) * _options.NoiseRiseRate;
        }

        if (voiced)
        {
            _voicedRun++;
            _unvoicedRun = 0;
        }
        else
        {
            _voicedRun = 0;
            _unvoicedRun++;
        }

        if (!InSpeech)
        {
            if (_voicedRun >= _options.OnsetFrames)
            {
                InSpeech = true;
                return VadEvent.SpeechStart;
            }

            return VadEvent.Silence;
        }

        if (_unvoicedRun >= _hangoverFrames)
        {
            InSpeech = false;
            return VadEvent.SpeechEnd;
        }

        return VadEvent.Speech;
    }

    public void Reset()
    {
        InSpeech = false;
        _voicedRun = 0;
        _unvoicedRun = 0;
        _noiseFloorDbfs = _options.NoiseFloorMinDbfs;
    }
}
