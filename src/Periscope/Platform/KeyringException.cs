namespace Periscope.Platform;

/// <summary>The desktop keyring exists but could not be used; the message says why.</summary>
internal sealed class KeyringException : Exception
{
    public KeyringException()
    {
    }

    public KeyringException(string message)
        : base(message)
    {
    }

    public KeyringException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
