namespace Callbridge.TestSupport.Media;

/// <summary>flite's built-in voices that pocketsphinx recognises best (kal is 8 kHz and poorer).</summary>
public enum FliteVoice
{
    /// <summary>US English female.</summary>
    Slt,

    /// <summary>US English male.</summary>
    Rms,

    /// <summary>Scottish English male.</summary>
    Awb,
}
