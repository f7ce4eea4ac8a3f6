namespace Synapse.Grains.Interfaces.Audit;

/// <summary>
/// The audit store could not make an event durable (database down, queue full, timed out). The
/// request path fails closed on it (503 <c>audit_unavailable</c>) unless
/// <c>Synapse:Audit:FailOpen</c> is set. The message never holds request content.
/// </summary>
[GenerateSerializer, Alias("synapse.AuditUnavailableException")]
public sealed class AuditUnavailableException : Exception
{
    public AuditUnavailableException()
        : base("The audit log is unavailable.")
    {
    }

    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    public AuditUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
