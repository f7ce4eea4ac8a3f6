namespace Synapse.LoadHarness;

/// <summary>The run could not start measuring; carries the gateway's last output to show why.</summary>
internal sealed class SetupException(string message, IReadOnlyList<string> gatewayOutput) : Exception(message)
{
    public IReadOnlyList<string> GatewayOutput { get; } = gatewayOutput;
}
