using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Providers;

namespace Synapse.Binding;

/// <summary>
/// The decision for every field of OpenAI's Chat Completions request (the README's table is this
/// one in prose). <c>model</c>, <c>messages</c>, <c>stream</c> and <c>stream_options</c> are
/// written by the binder itself; a field that is not listed is dropped and reported.
/// </summary>
public static class ChatRequestFields
{
    /// <summary>Top-level fields and what becomes of them. Values are checked by <see cref="Check"/>.</summary>
    public static readonly FrozenDictionary<string, ChatFieldRule> Rules = new Dictionary<string, ChatFieldRule>(StringComparer.Ordinal)
    {
        ["temperature"] = ChatFieldRule.Forward,
        ["top_p"] = ChatFieldRule.Forward,
        ["n"] = ChatFieldRule.Forward,
        ["stop"] = ChatFieldRule.Forward,
        ["max_tokens"] = ChatFieldRule.Forward,
        ["max_completion_tokens"] = ChatFieldRule.Forward,
        ["presence_penalty"] = ChatFieldRule.Forward,
        ["frequency_penalty"] = ChatFieldRule.Forward,
        ["logit_bias"] = ChatFieldRule.Forward,
        ["logprobs"] = ChatFieldRule.Forward,
        ["top_logprobs"] = ChatFieldRule.Forward,
        ["seed"] = ChatFieldRule.Forward,
        ["tools"] = ChatFieldRule.Forward,
        ["tool_choice"] = ChatFieldRule.Forward,
        ["parallel_tool_calls"] = ChatFieldRule.Forward,
        ["functions"] = ChatFieldRule.Forward,
        ["function_call"] = ChatFieldRule.Forward,
        ["response_format"] = ChatFieldRule.Forward,
        ["reasoning_effort"] = ChatFieldRule.Forward,
        ["verbosity"] = ChatFieldRule.Forward,
        ["service_tier"] = ChatFieldRule.Forward,
        ["user"] = ChatFieldRule.Forward,
        ["safety_identifier"] = ChatFieldRule.Forward,
        ["prompt_cache_key"] = ChatFieldRule.Forward,
        ["prompt_cache_retention"] = ChatFieldRule.Forward,
        ["prediction"] = ChatFieldRule.Forward,
        ["store"] = ChatFieldRule.Forward,
        ["modalities"] = ChatFieldRule.Forward,
        ["metadata"] = ChatFieldRule.Drop,
        ["audio"] = ChatFieldRule.Refuse,
        ["web_search_options"] = ChatFieldRule.Refuse,
        ["top_k"] = ChatFieldRule.Vendor,
        ["min_p"] = ChatFieldRule.Vendor,
        ["repetition_penalty"] = ChatFieldRule.Vendor,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Vendor parameters: forwarded to the on-prem server types that understand them.</summary>
    public static readonly FrozenSet<string> VendorNames = Rules.Where(r => r.Value == ChatFieldRule.Vendor).Select(r => r.Key).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>What Anthropic's translation carries over; everything else forwarded is dropped for it.</summary>
    private static readonly FrozenSet<string> AnthropicFields = FrozenSet.ToFrozenSet(
        ["temperature", "top_p", "n", "stop", "max_tokens", "max_completion_tokens", "tools", "tool_choice", "parallel_tool_calls", "user", "top_k"],
        StringComparer.Ordinal);

    /// <summary>What Gemini's translation carries over; everything else forwarded is dropped for it.</summary>
    private static readonly FrozenSet<string> GeminiFields = FrozenSet.ToFrozenSet(
        ["temperature", "top_p", "n", "stop", "max_tokens", "max_completion_tokens", "seed", "presence_penalty", "frequency_penalty", "response_format", "tools", "tool_choice", "top_k"],
        StringComparer.Ordinal);

    private const string RefusedAudio = "Audio answers are not accepted: the gateway's data-loss prevention reads text, not sound.";

    /// <summary>Whether a provider of <paramref name="providerType"/> receives the (forwarded or vendor) field.</summary>
    public static bool ProviderTakes(string providerType, string field) => providerType switch
    {
        ProviderTypes.Anthropic => AnthropicFields.Contains(field),
        ProviderTypes.Gemini => GeminiFields.Contains(field),
        ProviderTypes.Vllm or ProviderTypes.Ollama => true,
        _ => !VendorNames.Contains(field),
    };

    /// <summary>
    /// Checks a forwarded value's shape and refuses the values that would let data or cost escape
    /// the gateway's governance. Returns the value to forward, or null to leave the field out.
    /// </summary>
    /// <exception cref="InvalidRequestException">The value is refused; the message names the field.</exception>
    public static JsonNode? Check(string name, JsonNode value)
    {
        switch (name)
        {
            // Ranges as OpenAI's reference documents them; a parameter without a documented range
            // (top_p, the vendor ones) must still be a number a double holds. n and the token
            // limits must also be at least 1 and within the key's caps (OutputReservation).
            case "temperature":
                NumericField.RequireNumber(name, value, 0, 2);
                break;
            case "presence_penalty" or "frequency_penalty":
                NumericField.RequireNumber(name, value, -2, 2);
                break;
            case "top_p" or "top_k" or "min_p" or "repetition_penalty":
                NumericField.RequireNumber(name, value);
                break;
            case "top_logprobs":
                NumericField.RequireInteger(name, value, 0, 20);
                break;
            case "n" or "max_tokens" or "max_completion_tokens" or "seed":
                NumericField.RequireInteger(name, value);
                break;
            case "logprobs" or "parallel_tool_calls":
                RequireKind(name, value, JsonValueKind.True, JsonValueKind.False, "true or false");
                break;
            case "user" or "safety_identifier" or "prompt_cache_key" or "reasoning_effort" or "verbosity" or "service_tier":
                RequireKind(name, value, JsonValueKind.String, JsonValueKind.String, "a string");
                break;
            case "stop":
                CheckStop(value);
                break;
            case "logit_bias":
                CheckLogitBias(value);
                break;
            case "tools" or "functions":
                RequireArrayOfObjects(name, value);
                break;
            case "tool_choice" or "function_call":
                if (value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Object))
                {
                    throw new InvalidRequestException($"'{name}' must be a string or an object.", name);
                }

                break;
            case "response_format" or "prediction":
                RequireKind(name, value, JsonValueKind.Object, JsonValueKind.Object, "an object");
                break;
            case "store":
                RequireKind(name, value, JsonValueKind.True, JsonValueKind.False, "true or false");
                if (value.GetValueKind() == JsonValueKind.True)
                {
                    throw new InvalidRequestException("'store': true is not accepted: it asks the provider to keep the prompt and the answer, outside the gateway's audit and retention.", name);
                }

                break;
            case "prompt_cache_retention":
                RequireKind(name, value, JsonValueKind.String, JsonValueKind.String, "a string");
                if (value.GetValue<string>() == "24h")
                {
                    throw new InvalidRequestException("'prompt_cache_retention': \"24h\" is not accepted: it asks the provider to keep the prompt's cache for a day. Use \"in_memory\" or leave it out.", name);
                }

                break;
            case "modalities":
                CheckModalities(value);
                break;
            case "audio":
                throw new InvalidRequestException(RefusedAudio, name);
            case "web_search_options":
                throw new InvalidRequestException("'web_search_options' is not accepted: web search sends text derived from the prompt to a search engine and brings unchecked web content into the answer.", name);
        }

        return value;
    }

    private static void CheckStop(JsonNode value)
    {
        if (value.GetValueKind() == JsonValueKind.String)
        {
            return;
        }

        if (value is JsonArray stops && stops.All(s => s?.GetValueKind() == JsonValueKind.String))
        {
            return;
        }

        throw new InvalidRequestException("'stop' must be a string or an array of strings.", "stop");
    }

    /// <summary>Token ids (digits) to a bias between -100 and 100: no free text can ride in a key.</summary>
    private static void CheckLogitBias(JsonNode value)
    {
        if (value is not JsonObject biases)
        {
            throw new InvalidRequestException("'logit_bias' must be an object of token ids to numbers.", "logit_bias");
        }

        foreach (var (token, bias) in biases)
        {
            if (token.Length is 0 or > 7 || !token.All(char.IsAsciiDigit)
                || NumericField.TryGetFinite(bias) is not (>= -100 and <= 100))
            {
                throw new InvalidRequestException("'logit_bias' keys must be token ids (up to 7 digits) and its values numbers from -100 to 100.", "logit_bias");
            }
        }
    }

    private static void CheckModalities(JsonNode value)
    {
        if (value is not JsonArray modalities || modalities.Any(m => m?.GetValueKind() != JsonValueKind.String))
        {
            throw new InvalidRequestException("'modalities' must be an array of strings.", "modalities");
        }

        if (modalities.Any(m => m!.GetValue<string>() != "text"))
        {
            throw new InvalidRequestException(RefusedAudio + " 'modalities' may only be [\"text\"].", "modalities");
        }
    }

    private static void RequireArrayOfObjects(string name, JsonNode value)
    {
        if (value is not JsonArray items || items.Any(i => i is not JsonObject))
        {
            throw new InvalidRequestException($"'{name}' must be an array of objects.", name);
        }
    }

    private static void RequireKind(string name, JsonNode value, JsonValueKind kind, JsonValueKind alternative, string description)
    {
        var actual = value.GetValueKind();
        if (actual != kind && actual != alternative)
        {
            throw new InvalidRequestException($"'{name}' must be {description}.", name);
        }
    }
}
