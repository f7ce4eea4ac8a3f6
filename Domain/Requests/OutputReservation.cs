using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Requests;

/// <summary>
/// The most output a chat request may produce, as admission holds it against the key's
/// tokens-per-minute limit: <c>n × max_tokens</c> (the key's caps refuse more), or
/// <c>n × </c><see cref="RequestLimitsOptions.OutputReservation"/> when the request sets no limit.
/// </summary>
public static class OutputReservation
{
    private static readonly string[] MaxTokenFields = ["max_completion_tokens", "max_tokens"];

    /// <exception cref="InvalidRequestException">A field is not a positive integer, or over the key's cap.</exception>
    public static long Tokens(JsonObject bound, KeyLimits limits, RequestLimitsOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(defaults);
        var maxChoices = limits.MaxChoices ?? defaults.MaxChoices;
        var maxOutput = limits.MaxOutputTokens ?? defaults.MaxOutputTokens;

        var choices = PositiveInteger(bound, "n") ?? 1;
        if (choices > maxChoices)
        {
            throw new InvalidRequestException($"'n' is over this key's limit of {maxChoices} choices per request.", "n");
        }

        long? perChoice = null;
        foreach (var field in MaxTokenFields)
        {
            if (PositiveInteger(bound, field) is { } asked)
            {
                if (asked > maxOutput)
                {
                    throw new InvalidRequestException($"'{field}' is over this key's limit of {maxOutput} output tokens per request.", field);
                }

                perChoice = Math.Max(perChoice ?? 0, asked);
            }
        }

        return choices * (perChoice ?? Math.Min(defaults.OutputReservation, maxOutput));
    }

    private static long? PositiveInteger(JsonObject body, string field)
    {
        if (body[field] is not { } node)
        {
            return null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number) && number >= 1
            ? number
            : throw new InvalidRequestException($"'{field}' must be a positive integer.", field);
    }
}
