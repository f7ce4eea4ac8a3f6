using System.Collections.Frozen;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp;

/// <summary>
/// What to do with each category: global defaults (built-in defaults unless the admin changed
/// them), admin-defined custom categories, and per-key overrides merged on top. Immutable; creating
/// one validates everything and compiles the custom patterns, so build it once per configuration
/// change and derive per-key policies with <see cref="WithOverrides"/>, which reuses the compiled
/// patterns.
/// </summary>
public sealed class DlpPolicy
{
    private readonly FrozenDictionary<string, DlpAction> _actions;

    private DlpPolicy(FrozenDictionary<string, DlpAction> actions, IReadOnlyList<CompiledCustomCategory> custom)
    {
        _actions = actions;
        Custom = custom;
    }

    /// <summary>The built-in defaults and no custom categories.</summary>
    public static DlpPolicy Default { get; } = Create();

    /// <summary>Every category this policy knows, built-ins first then custom ones in definition order.</summary>
    public IReadOnlyList<string> Categories => [.. DlpCategories.BuiltIn, .. Custom.Select(c => c.Name)];

    internal IReadOnlyList<CompiledCustomCategory> Custom { get; }

    /// <summary>
    /// Builds a policy. <paramref name="globalActions"/> changes built-in defaults (keys must be built-in
    /// names); each custom category carries its own action.
    /// </summary>
    /// <exception cref="DlpPolicyException">A name, action or pattern is refused; the exception names the field.</exception>
    public static DlpPolicy Create(
        IReadOnlyDictionary<string, DlpAction>? globalActions = null,
        IReadOnlyList<DlpCustomCategory>? customCategories = null)
    {
        var actions = new Dictionary<string, DlpAction>(StringComparer.Ordinal);
        foreach (var category in DlpCategories.BuiltIn)
        {
            actions[category] = DlpCategories.DefaultAction(category);
        }

        foreach (var (category, action) in globalActions ?? FrozenDictionary<string, DlpAction>.Empty)
        {
            if (!DlpCategories.IsBuiltIn(category))
            {
                throw new DlpPolicyException($"globalActions.{category}", "is not a built-in category (a custom category's action is set on the category itself).");
            }

            actions[category] = CheckAction(action, $"globalActions.{category}");
        }

        var custom = new List<CompiledCustomCategory>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var list = customCategories ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var compiled = CustomCategoryCompiler.Compile(list[i], i, taken);
            taken.Add(compiled.Name);
            custom.Add(compiled);
            actions[compiled.Name] = compiled.Action;
        }

        return new DlpPolicy(actions.ToFrozenDictionary(StringComparer.Ordinal), custom);
    }

    /// <summary>This policy with one key's overrides (category → action) applied on top.</summary>
    /// <exception cref="DlpPolicyException">An override names an unknown category.</exception>
    public DlpPolicy WithOverrides(IReadOnlyDictionary<string, DlpAction>? overrides)
    {
        if (overrides is null || overrides.Count == 0)
        {
            return this;
        }

        var actions = new Dictionary<string, DlpAction>(_actions, StringComparer.Ordinal);
        foreach (var (category, action) in overrides)
        {
            if (!_actions.ContainsKey(category))
            {
                throw new DlpPolicyException($"overrides.{category}", "is not a known DLP category.");
            }

            actions[category] = CheckAction(action, $"overrides.{category}");
        }

        return new DlpPolicy(actions.ToFrozenDictionary(StringComparer.Ordinal), Custom);
    }

    /// <summary>The action for a category (built-in or custom).</summary>
    public DlpAction ActionFor(string category) =>
        _actions.TryGetValue(category, out var action) ? action : throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown DLP category.");

    private static DlpAction CheckAction(DlpAction action, string field) =>
        Enum.IsDefined(action) ? action : throw new DlpPolicyException(field, "must be block, redact, route_on_prem, alert or off.");
}
