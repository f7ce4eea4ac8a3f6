using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

/// <summary>The admin API's words for <see cref="ClientSystemMessages"/>; absent means <c>demote</c>.</summary>
internal static class ClientSystemMessagesWire
{
    public static string ToWire(ClientSystemMessages value) => value switch
    {
        ClientSystemMessages.Drop => "drop",
        ClientSystemMessages.Refuse => "refuse",
        _ => "demote",
    };

    public static ClientSystemMessages? Parse(string? value) => value switch
    {
        null or "demote" => ClientSystemMessages.Demote,
        "drop" => ClientSystemMessages.Drop,
        "refuse" => ClientSystemMessages.Refuse,
        _ => null,
    };
}
