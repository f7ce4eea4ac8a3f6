using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Synapse.Configuration;

/// <summary>What <see cref="UnknownSettingsValidator"/> validates: the <c>Synapse</c> section's keys as a whole.</summary>
public sealed class SettingKeys;

/// <summary>
/// Refuses a key under <c>Synapse</c> that no setting reads. The binder ignores such a key without a
/// word, so a misspelling left a setting at its default while the operator believed it set:
/// <c>Synapse__Admin__Tokn</c> (the generated token instead), <c>Synapse__Audit__FailOpn</c>,
/// <c>Synapse__Shutdown__GracePeriod</c> (a value computed from <c>GracePeriodSeconds</c>, not a
/// setting). Each section this host binds is walked through its class (properties, lists, classes
/// held by name, any case, as the binder matches them); a section only another host binds is left
/// to that host (<see cref="SettingsSections"/>). The message names the key and, when one is close,
/// the setting probably meant.
/// </summary>
public sealed class UnknownSettingsValidator(IConfiguration configuration, BoundSettings bound) : IValidateOptions<SettingKeys>
{
    public ValidateOptionsResult Validate(string? name, SettingKeys options)
    {
        var problems = new List<string>();
        foreach (var section in configuration.GetSection(SettingsSections.Root).GetChildren())
        {
            if (!SettingsSections.TopLevel.Contains(section.Key))
            {
                problems.Add(Unknown(section, SettingsSections.TopLevel));
            }
            else
            {
                CheckBound(section, problems);
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>A section some classes are bound from, or which holds sections that are.</summary>
    private void CheckBound(IConfigurationSection section, List<string> problems)
    {
        if (!bound.AtOrBelow(section.Path))
        {
            return; // read by another host, which checks it
        }

        var types = bound.At(section.Path);
        var namedValues = types.Select(SettingsTypes.NamedValueType).FirstOrDefault(t => t is not null);
        var properties = types.SelectMany(SettingsTypes.Settable).ToList();
        foreach (var child in section.GetChildren())
        {
            if (bound.AtOrBelow(child.Path))
            {
                CheckBound(child, problems);
            }
            else if (namedValues is not null)
            {
                // A class that is itself a dictionary of named entries (the providers): any name,
                // even one of the dictionary's own properties (a provider called "keys").
                CheckTyped(child, namedValues, problems);
            }
            else if (types.Count > 0)
            {
                CheckMember(child, properties, problems, unknownKeys: true);
            }
        }
    }

    /// <summary>
    /// Sub-keys given to the single-value settings of <paramref name="type"/> in
    /// <paramref name="section"/> (other keys may belong to other classes bound from the same
    /// section): what names the key when the binder fails on one, for a text setting without a
    /// default given sub-keys (<c>Synapse:Telemetry:ServiceName:0</c>) makes it throw instead of ignoring them.
    /// </summary>
    public static IReadOnlyList<string> SubKeysOfSingleValues(IConfigurationSection section, Type type)
    {
        ArgumentNullException.ThrowIfNull(section);
        var problems = new List<string>();
        CheckTyped(section, type, problems, unknownKeys: false);
        return problems;
    }

    /// <summary>A key read into a property of <paramref name="type"/>.</summary>
    private static void CheckTyped(IConfigurationSection section, Type type, List<string> problems, bool unknownKeys = true)
    {
        if (SettingsTypes.NamedValueType(type) is { } valueType)
        {
            foreach (var child in section.GetChildren())
            {
                CheckTyped(child, valueType, problems, unknownKeys);
            }
        }
        else if (SettingsTypes.IsList(type))
        {
            var element = type.IsArray ? type.GetElementType() : type.GetGenericArguments().FirstOrDefault();
            foreach (var child in section.GetChildren())
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    if (unknownKeys)
                    {
                        problems.Add($"{child.Path} is not a setting: {section.Path} is a list, its entries are {section.Path}:0, {section.Path}:1, and so on.");
                    }
                }
                else if (element is not null && SettingsTypes.IsSettingsClass(element))
                {
                    CheckTyped(child, element, problems, unknownKeys);
                }
            }
        }
        else if (SettingsTypes.IsSettingsClass(type))
        {
            var properties = SettingsTypes.Settable(type).ToList();
            foreach (var child in section.GetChildren())
            {
                CheckMember(child, properties, problems, unknownKeys);
            }
        }
        else if (IsSingleValue(type) && section.GetChildren().FirstOrDefault() is { } child)
        {
            problems.Add($"{child.Path} is not a setting: {section.Path} is a single value.");
        }
    }

    /// <summary>A key read into whichever of <paramref name="properties"/> the binder matches it to (any case), else unknown.</summary>
    private static void CheckMember(IConfigurationSection child, IReadOnlyList<PropertyInfo> properties, List<string> problems, bool unknownKeys)
    {
        if (properties.FirstOrDefault(p => string.Equals(SettingsTypes.KeyName(p), child.Key, StringComparison.OrdinalIgnoreCase)) is { } property)
        {
            CheckTyped(child, property.PropertyType, problems, unknownKeys);
        }
        else if (unknownKeys)
        {
            problems.Add(Unknown(child, properties.Select(SettingsTypes.KeyName)));
        }
    }

    private static bool IsSingleValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);
    }

    private static string Unknown(IConfigurationSection section, IEnumerable<string> known)
    {
        var closest = known.Select(k => (Name: k, Distance: EditDistance(section.Key.ToUpperInvariant(), k.ToUpperInvariant())))
            .Where(k => k.Distance <= Math.Max(1, k.Name.Length / 4))
            .OrderBy(k => k.Distance)
            .Select(k => k.Name)
            .FirstOrDefault();
        var parent = section.Path[..^section.Key.Length].TrimEnd(':');
        return closest is null
            ? $"{section.Path} is not a setting (nothing reads it; see the configuration reference)."
            : $"{section.Path} is not a setting; did you mean {ConfigurationPath.Combine(parent, closest)}?";
    }

    /// <summary>Levenshtein distance: a few lines for short key names, where a library would be a dependency for one call.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
