using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Binding;

/// <summary>
/// A forwarded number checked before a provider sees it: it must fit its type — a JSON number such
/// as <c>1e400</c> overflows a double, which System.Text.Json will not read (so neither would the
/// gateway, and a provider refuses it) — and lie in the range the client's API documents, where one
/// is documented. Each refusal names the field and says what it must be.
/// </summary>
public static class NumericField
{
    /// <summary>A number a double holds; <paramref name="min"/> and <paramref name="max"/> are the documented range, if any.</summary>
    /// <exception cref="InvalidRequestException">The value is not such a number.</exception>
    public static void RequireNumber(string name, JsonNode value, double min = double.MinValue, double max = double.MaxValue)
    {
        if (TryGetFinite(value) is not { } number || number < min || number > max)
        {
            var range = min == double.MinValue && max == double.MaxValue
                ? "a number a double can hold (1e400 overflows one)"
                : string.Create(CultureInfo.InvariantCulture, $"a number from {min} to {max}");
            throw new InvalidRequestException($"'{name}' must be {range}.", name);
        }
    }

    /// <summary>A whole number a 64-bit integer holds, within <paramref name="min"/>…<paramref name="max"/>.</summary>
    /// <exception cref="InvalidRequestException">The value is not such a number.</exception>
    public static void RequireInteger(string name, JsonNode value, long min = long.MinValue, long max = long.MaxValue)
    {
        if (value is not JsonValue number || number.GetValueKind() != JsonValueKind.Number || !number.TryGetValue<long>(out var integer) || integer < min || integer > max)
        {
            var range = min == long.MinValue && max == long.MaxValue
                ? "a whole number a 64-bit integer can hold"
                : max == long.MaxValue
                    ? string.Create(CultureInfo.InvariantCulture, $"a whole number from {min}")
                    : string.Create(CultureInfo.InvariantCulture, $"a whole number from {min} to {max}");
            throw new InvalidRequestException($"'{name}' must be {range}.", name);
        }
    }

    /// <summary>The number as a finite double; null when it is not a number or does not fit one.</summary>
    public static double? TryGetFinite(JsonNode? value) =>
        value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<double>(out var result) && double.IsFinite(result)
            ? result
            : null;
}
