using System.Text.RegularExpressions;

namespace Synapse.Dlp.Engine;

/// <summary>
/// Validates and compiles admin-defined categories. Refusals name the field and the problem so an
/// admin endpoint can answer 400 with them.
/// </summary>
internal static partial class CustomCategoryCompiler
{
    public const int MaxPatternLength = 2000;
    public const int MaxMatchLengthLimit = 1024;

    // Belt and braces: NonBacktracking is linear already, the timeout bounds any single call. It is
    // well above what 4 MiB takes, so a busy machine does not turn a linear scan into a refusal
    // (the same as the scan's own budget, DlpScannerOptions.Budget).
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    public static CompiledCustomCategory Compile(DlpCustomCategory category, int index, IReadOnlySet<string> taken)
    {
        var field = $"customCategories[{index}]";
        if (category is null)
        {
            throw new DlpPolicyException(field, "is missing.");
        }

        if (string.IsNullOrEmpty(category.Name) || !NamePattern().IsMatch(category.Name))
        {
            throw new DlpPolicyException($"{field}.name", "must be 1–40 characters of lower-case letters, digits and '_', starting with a letter.");
        }

        if (DlpCategories.IsBuiltIn(category.Name))
        {
            throw new DlpPolicyException($"{field}.name", $"'{category.Name}' is a built-in category; choose another name.");
        }

        if (taken.Contains(category.Name))
        {
            throw new DlpPolicyException($"{field}.name", $"'{category.Name}' is defined more than once.");
        }

        if (!Enum.IsDefined(category.Action))
        {
            throw new DlpPolicyException($"{field}.action", "must be block, redact, route_on_prem, alert or off.");
        }

        if (category.MaxLength is < 1 or > MaxMatchLengthLimit)
        {
            throw new DlpPolicyException($"{field}.maxLength", $"must be between 1 and {MaxMatchLengthLimit}.");
        }

        var regex = CompilePattern(category.Pattern, $"{field}.pattern");
        return new CompiledCustomCategory(category.Name, regex, category.Action, category.MaxLength);
    }

    private static Regex CompilePattern(string? pattern, string field)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            throw new DlpPolicyException(field, "is empty.");
        }

        if (pattern.Length > MaxPatternLength)
        {
            throw new DlpPolicyException(field, $"is longer than {MaxPatternLength} characters.");
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (RegexParseException ex)
        {
            throw new DlpPolicyException(field, $"is not a valid regular expression: {Describe(ex.Error)} at offset {ex.Offset}.", ex);
        }
        catch (NotSupportedException ex)
        {
            // Two different refusals arrive as this exception: a construct the engine lacks
            // (backreferences, lookarounds, atomic groups, conditionals) or an automaton too large
            // (a{1,100000}). The runtime's message names which, so the admin learns what to change.
            throw new DlpPolicyException(
                field,
                $"cannot run on the linear-time (non-backtracking) engine that keeps scanning safe: {ex.Message}",
                ex);
        }
        catch (ArgumentException ex)
        {
            throw new DlpPolicyException(field, "is not a valid regular expression.", ex);
        }

        if (regex.IsMatch(string.Empty))
        {
            throw new DlpPolicyException(field, "matches the empty string; a category must match at least one character.");
        }

        return regex;
    }

    private static string Describe(RegexParseError error) =>
        string.Concat(error.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? $" {char.ToLowerInvariant(c)}" : $"{(i == 0 ? char.ToLowerInvariant(c) : c)}"));

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
