using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Synapse.Configuration;

/// <summary>
/// Refuses a time-span setting written as a bare number. .NET reads <c>60</c> as sixty days, so
/// <c>Synapse__Audit__CheckpointInterval=60</c> meant to be a minute either stopped the start with
/// a timer's stack trace or, below 50, silently signed the manifest every few weeks; a time span
/// must be written with its colons (<c>00:01:00</c>, <c>1.00:00:00</c> for a day). Reads the
/// options class's own <see cref="TimeSpan"/> properties from its section, as configured.
/// </summary>
public sealed class TimeSpanSettingsValidator<TOptions>(IConfiguration configuration, string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    private static readonly string[] Properties = [.. typeof(TOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(TimeSpan) && p.SetMethod is { IsPublic: true })
        .Select(p => p.Name)];

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var section = configuration.GetSection(sectionName);
        var failures = Properties
            .Where(p => section[p] is { } value && !value.Contains(':', StringComparison.Ordinal))
            .Select(p => $"{sectionName}:{p} must be a time span written with colons, e.g. 00:01:00 for a minute (a bare number is read as days).")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
