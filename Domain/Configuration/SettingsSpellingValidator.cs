using System.Collections;
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

        if (NamedValueType(type) is { } valueType)
        {
            foreach (var problem in section.GetChildren().SelectMany(child => Problems(valueType, child, depth + 1)))
            {
                yield return problem;
            }

            yield break;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            if (property.PropertyType == typeof(TimeSpan) && property.SetMethod is { IsPublic: true })
            {
                if (section[property.Name] is { } value && !value.Contains(':', StringComparison.Ordinal))
                {
                    yield return $"{ConfigurationPath.Combine(section.Path, property.Name)} must be a time span written with colons, e.g. 00:01:00 for a minute (a bare number is read as days).";
                }
            }
            else if (IsList(property.PropertyType))
            {
                if (ListSettings.PlainValueProblem(section, property.Name) is { } problem)
                {
                    yield return problem;
                }
            }
            else if (IsSettingsClass(property.PropertyType) || NamedValueType(property.PropertyType) is not null)
            {
                foreach (var problem in Problems(property.PropertyType, section.GetSection(property.Name), depth + 1))
                {
                    yield return problem;
                }
            }
        }
    }

    private static bool IsList(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && !typeof(IDictionary).IsAssignableFrom(type)
        && !type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)));

    /// <summary>Synapse's own settings classes, the only ones walked into.</summary>
    private static bool IsSettingsClass(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Synapse", StringComparison.Ordinal) == true && !typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary>The value type of a dictionary keyed by name whose values are settings classes, else null.</summary>
    private static Type? NamedValueType(Type type) =>
        type.GetInterfaces().Append(type)
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            .Select(i => i.GetGenericArguments()[1])
            .FirstOrDefault(IsSettingsClass);
}
