namespace Callbridge.ClientCaptions.Keys;

/// <summary>The conference key could not be read. The message names the source, never the key text.</summary>
public sealed class KeySourceException(string message, Exception? inner = null) : Exception(message, inner);
