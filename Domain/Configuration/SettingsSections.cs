namespace Synapse.Configuration;

/// <summary>
/// The names directly under <c>Synapse</c> that some host reads — the silo, the front end, or both
/// in the all-in-one process. A host checks the sections it binds key by key
/// (<see cref="UnknownSettingsValidator"/>); this list lets it tell a section another host reads
/// (compose gives every service the same <c>.env</c>) from a misspelt one.
/// </summary>
public static class SettingsSections
{
    public const string Root = "Synapse";

    public static IReadOnlySet<string> TopLevel { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Admin", "Alerts", "Audit", "Cors", "DataDirectory", "KeyAuthentication", "Limits", "Management",
        "MaxRequestBytes", "Memory", "Mode", "Orleans", "Providers", "RequestBody", "Resilience",
        "SecretsDirectory", "Shutdown", "Telemetry",
    };
}
