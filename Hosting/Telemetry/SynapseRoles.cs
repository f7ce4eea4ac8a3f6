namespace Synapse.Hosting.Telemetry;

/// <summary>The roles a Synapse process plays, as <c>service.name</c> names them.</summary>
public static class SynapseRoles
{
    /// <summary>A client-mode front end.</summary>
    public const string Gateway = "synapse-gateway";

    /// <summary>A headless silo.</summary>
    public const string Silo = "synapse-silo";

    /// <summary>The all-in-one process: a front end with its own silo.</summary>
    public const string AllInOne = "synapse";
}
