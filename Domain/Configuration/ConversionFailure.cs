using System.Text.RegularExpressions;

namespace Synapse.Configuration;

/// <summary>
/// The configuration binder's refusal of a value it cannot convert, as one line naming the key and
/// the type: the binder's own message quotes the value, which may be a secret set in the wrong key.
/// </summary>
public static partial class ConversionFailure
{
    /// <summary>The one-line description of <paramref name="exception"/>, or null when it is not a conversion failure.</summary>
    public static string? Describe(InvalidOperationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Pattern().Match(exception.Message) is { Success: true } failure
            ? $"{failure.Groups["key"].Value} must be a value of type {failure.Groups["type"].Value}."
            : null;
    }

    [GeneratedRegex(@"^Failed to convert configuration value .*at '(?<key>[^']+)' to type '(?:[\w.]+\.)?(?<type>[^'.]+)'", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
