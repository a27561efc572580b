namespace Callbridge.ClientCaptions.Keys;

/// <summary>Why a key line was not accepted. The messages name the line, never its content.</summary>
public enum KeyParseError
{
    None,

    /// <summary>The text before '=' is not a key index 0..2^31-1.</summary>
    BadIndex,

    /// <summary>The material is neither hex nor "base64:" followed by base64.</summary>
    NotHexOrBase64,

    /// <summary>Fewer than <see cref="ConferenceKeyParser.MinMaterialLength"/> bytes: too weak to be a real key.</summary>
    TooShort,

    /// <summary>More than <see cref="ConferenceKeyParser.MaxMaterialLength"/> bytes.</summary>
    TooLong,
}
