
namespace Synapse.Binding;

/// <summary>
/// A request the binding refuses; the message is safe to show the client. <see cref="AuditDetail"/>
/// is the audit row's <c>detail</c> when the refusal has one (field names only).
/// </summary>
public sealed class InvalidRequestException(string message, string? param = null) : Exception(message)
{
    public string? Param { get; } = param;

    public string? AuditDetail { get; init; }
}
