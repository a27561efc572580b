namespace Callbridge.Srtp;

/// <summary>The native libsrtp2 could not be loaded or initialized. Thrown when a session is created, never per packet.</summary>
public sealed class SrtpLibraryUnavailableException : Exception
{
    public SrtpLibraryUnavailableException()
        : this("libsrtp2 is unavailable.")
    {
    }

    public SrtpLibraryUnavailableException(string message)
        : base(message)
    {
    }

    public SrtpLibraryUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
