namespace Synapse.Configuration;

/// <summary>
/// A setting is missing or invalid. The message is one line that names the setting (never its
/// value); the executables print it alone and exit with code 2 instead of a stack trace.
/// </summary>
public sealed class StartupConfigurationException : InvalidOperationException
{
    public StartupConfigurationException()
    {
    }

    public StartupConfigurationException(string message)
        : base(message)
    {
    }

    public StartupConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
