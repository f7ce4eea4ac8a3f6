using Synapse.Grains.Interfaces.Dlp;

namespace Synapse.Dlp.Gateway;

/// <summary>Converts between the stored policy document and the engine's compiled policy.</summary>
public static class DlpPolicyDocuments
{
    public static DlpPolicyDocument Default { get; } = From(DlpPolicy.Default, version: 0);

    public static DlpPolicyDocument From(DlpPolicy policy, long version) => new(
        DlpCategories.BuiltIn.ToDictionary(c => c, c => DlpActions.ToName(policy.ActionFor(c)), StringComparer.Ordinal),
        [.. policy.Custom.Select(c => new DlpCustomCategoryDocument(c.Name, c.Regex.ToString(), DlpActions.ToName(c.Action), c.MaxLength))],
        version);

    /// <exception cref="DlpPolicyException">An action, name or pattern is refused; the exception names the field.</exception>
    public static DlpPolicy ToPolicy(DlpPolicyDocument document)
    {
        var actions = new Dictionary<string, DlpAction>(StringComparer.Ordinal);
        foreach (var (category, name) in document.Actions)
        {
            // Named here, as the document names it ("actions"), not as DlpPolicy.Create's parameter.
            if (!DlpCategories.IsBuiltIn(category))
            {
                throw new DlpPolicyException($"actions.{category}", "is not a built-in category (a custom category's action is set on the category itself).");
            }

            actions[category] = ParseAction(name, $"actions.{category}");
        }

        var custom = document.CustomCategories
            .Select((c, i) => new DlpCustomCategory(c.Name, c.Pattern, ParseAction(c.Action, $"customCategories[{i}].action"), c.MaxLength))
            .ToList();
        return DlpPolicy.Create(actions, custom);
    }

    /// <exception cref="DlpPolicyException">An unknown action name or category.</exception>
    public static DlpPolicy WithOverrides(DlpPolicy policy, IReadOnlyDictionary<string, string>? overrides)
    {
        if (overrides is null || overrides.Count == 0)
        {
            return policy;
        }

        return policy.WithOverrides(overrides.ToDictionary(o => o.Key, o => ParseAction(o.Value, $"dlp.{o.Key}"), StringComparer.Ordinal));
    }

    private static DlpAction ParseAction(string? name, string field) =>
        DlpActions.TryParse(name, out var action) ? action : throw new DlpPolicyException(field, "must be block, redact, route_on_prem, alert or off.");
}
