namespace Synapse.Tests.Gateway.Fuzz;

/// <summary>One generated request: the bytes sent on the wire and what was done to them.</summary>
internal sealed record FuzzCase(string Description, byte[] Request);
