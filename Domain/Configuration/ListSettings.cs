using Microsoft.Extensions.Configuration;

namespace Synapse.Configuration;

/// <summary>
/// A list setting (<c>Synapse:Providers:{name}:Models</c>, <c>Synapse:Cors:AllowedOrigins</c>)
/// given one plain value. The binder fills a list only from indexed keys (<c>Models:0</c>,
/// environment <c>Models__0</c>) and ignores a value at the list's own key, so
/// <c>Synapse__Providers__x__Models=gpt-4o</c> was an empty list, reported without a hint.
/// </summary>
public static class ListSettings
{
    /// <summary>Whether <paramref name="key"/> holds a plain value (an empty one counts as unset).</summary>
    public static bool HasPlainValue(IConfiguration configuration, string key)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[key]);
    }

    /// <summary>The one-line problem when <paramref name="key"/> (relative to <paramref name="configuration"/>) holds a plain value, or null.</summary>
    public static string? PlainValueProblem(IConfiguration configuration, string key)
    {
        if (!HasPlainValue(configuration, key))
        {
            return null;
        }

        var path = configuration is IConfigurationSection section ? ConfigurationPath.Combine(section.Path, key) : key;
        return $"{path} is a list: set {path}:0 (environment: {EnvironmentName(path)}__0), then {path}:1 and so on, one entry each.";
    }

    /// <summary>The problem of an entry that holds several, comma-separated: each is its own entry.</summary>
    public static string SeveralInOneEntry(string key, string entry, string what) =>
        $"{key}: \"{entry}\" is several {what} in one entry; give each its own: {key}:0, {key}:1, … (environment: {EnvironmentName(key)}__0, {EnvironmentName(key)}__1, …).";

    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
