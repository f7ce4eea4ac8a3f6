using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Synapse.Configuration;

/// <summary>How the configuration binder reads a settings class's properties, for the checks that walk them.</summary>
internal static class SettingsTypes
{
    /// <summary>The properties the binder can fill: a public setter, or a class it fills in place.</summary>
    public static IEnumerable<PropertyInfo> Settable(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod is { IsPublic: true } || IsSettingsClass(p.PropertyType) || IsList(p.PropertyType) || NamedValueType(p.PropertyType) is not null));

    /// <summary>The key the binder reads a property from: its <see cref="ConfigurationKeyNameAttribute"/>, else its name.</summary>
    public static string KeyName(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;

    public static bool IsList(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && !typeof(IDictionary).IsAssignableFrom(type)
        && !type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)));

    /// <summary>Synapse's own settings classes, the only ones walked into.</summary>
    public static bool IsSettingsClass(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("Synapse", StringComparison.Ordinal) == true && !typeof(IEnumerable).IsAssignableFrom(type);

    /// <summary>The value type of a dictionary keyed by name whose values are settings classes, else null.</summary>
    public static Type? NamedValueType(Type type) =>
        type.GetInterfaces().Append(type)
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            .Select(i => i.GetGenericArguments()[1])
            .FirstOrDefault(IsSettingsClass);
}
