using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Synapse.Configuration;

/// <summary>
/// Refuses settings the binder would misread, as configured in the options class's section and in
/// the classes it holds by name (<c>Synapse:Providers:{name}:Models</c>,
/// <c>Synapse:Alerts:Webhooks:{name}:Events</c>): a list given one plain value
/// (<see cref="ListSettings"/>: the binder ignores it), and a time span written as a bare number.
/// .NET reads <c>60</c> as sixty days, so <c>Synapse__Audit__CheckpointInterval=60</c> meant to be a
/// minute either stopped the start with a timer's stack trace or, below 50, silently signed the
/// manifest every few weeks; a time span must be written with its colons (<c>00:01:00</c>,
/// <c>1.00:00:00</c> for a day).
/// </summary>
public sealed class SettingsSpellingValidator<TOptions>(IConfiguration configuration, string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = Problems(typeof(TOptions), configuration.GetSection(sectionName), depth: 0).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static IEnumerable<string> Problems(Type type, IConfigurationSection section, int depth)
    {
        if (depth > 4)
        {
            yield break;
        }

        if (SettingsTypes.NamedValueType(type) is { } valueType)
        {
            foreach (var problem in section.GetChildren().SelectMany(child => Problems(valueType, child, depth + 1)))
            {
                yield return problem;
            }

            yield break;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var key = SettingsTypes.KeyName(property);
            if (property.PropertyType == typeof(TimeSpan) && property.SetMethod is { IsPublic: true })
            {
                if (section[key] is { } value && !value.Contains(':', StringComparison.Ordinal))
                {
                    yield return $"{ConfigurationPath.Combine(section.Path, key)} must be a time span written with colons, e.g. 00:01:00 for a minute (a bare number is read as days).";
                }
            }
            else if (SettingsTypes.IsList(property.PropertyType))
            {
                if (ListSettings.PlainValueProblem(section, key) is { } problem)
                {
                    yield return problem;
                }
            }
            else if (SettingsTypes.IsSettingsClass(property.PropertyType) || SettingsTypes.NamedValueType(property.PropertyType) is not null)
            {
                foreach (var problem in Problems(property.PropertyType, section.GetSection(key), depth + 1))
                {
                    yield return problem;
                }
            }
        }
    }
}
