namespace Synapse.Providers;

/// <summary>
/// A provider's server-sent event grew past the size the gateway reads: the stream ends with a
/// failure that says why (<see cref="UpstreamFailures.EventTooLarge"/>), not as a lost connection
/// or an unreadable answer.
/// </summary>
internal sealed class EventTooLargeException : Exception
{
    public EventTooLargeException()
        : base("A server-sent event exceeded the size limit.")
    {
    }

    public EventTooLargeException(string message)
        : base(message)
    {
    }

    public EventTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
