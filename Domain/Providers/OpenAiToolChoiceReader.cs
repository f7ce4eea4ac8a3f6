using System.Text.Json;

namespace Synapse.Providers;

/// <summary>Reads <c>tool_choice</c> for the Anthropic and Gemini request translators, which each rename it.</summary>
internal static class OpenAiToolChoiceReader
{
    /// <summary>The request's <c>tool_choice</c>, or null when it is absent or not a shape OpenAI defines; <paramref name="function"/> is the named function's name.</summary>
    public static OpenAiToolChoice? Read(JsonElement request, out string? function)
    {
        function = null;
        if (!request.TryGetProperty("tool_choice"u8, out var choice))
        {
            return null;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "none" => OpenAiToolChoice.None,
                "required" => OpenAiToolChoice.Required,
                _ => OpenAiToolChoice.Auto,
            };
        }

        if (choice.ValueKind == JsonValueKind.Object
            && choice.TryGetProperty("function"u8, out var named)
            && named.TryGetProperty("name"u8, out var name)
            && name.ValueKind == JsonValueKind.String)
        {
            function = name.GetString();
            return OpenAiToolChoice.Function;
        }

        return null;
    }
}
