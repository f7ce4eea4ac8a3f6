
namespace Synapse.Binding;

/// <summary>A request the binding refuses; the message is safe to show the client.</summary>
public sealed class InvalidRequestException(string message, string? param = null) : Exception(message)
{
    public string? Param { get; } = param;
}
