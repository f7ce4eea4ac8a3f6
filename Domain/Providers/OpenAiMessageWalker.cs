using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers;

/// <summary>
/// Walks an OpenAI <c>messages</c> array by role and content kind for the translators of providers
/// with their own conversation shape (Anthropic, Gemini): system and developer texts are gathered
/// apart (both providers take instructions outside the turns), user and assistant texts, user images,
/// tool calls and tool results go to the translator's <see cref="IOpenAiMessageSink"/> in order, and
/// anything the translators cannot carry is refused with a <see cref="ProviderTranslationException"/>.
/// </summary>
internal static class OpenAiMessageWalker
{
    /// <summary>
    /// The OpenAI request parsed, with its <c>messages</c> array; throws <see cref="JsonException"/>
    /// when it is not JSON and <see cref="ProviderTranslationException"/> when it is not an object
    /// with a <c>messages</c> array. The caller disposes the document.
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> openAiRequest, out JsonElement request, out JsonElement messages)
    {
        var document = JsonDocument.Parse(openAiRequest, OpenAiWire.DocumentOptions);
        request = document.RootElement;
        if (request.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ProviderTranslationException("The request body must be a JSON object.");
        }

        if (!request.TryGetProperty("messages"u8, out messages) || messages.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new ProviderTranslationException("The request needs a 'messages' array.");
        }

        return document;
    }

    /// <summary>The non-empty texts of the system and developer messages, in order.</summary>
    public static IEnumerable<JsonElement> InstructionTexts(JsonElement messages)
    {
        foreach (var message in messages.EnumerateArray())
        {
            if (OpenAiWire.Role(message) is not ("system" or "developer") || !message.TryGetProperty("content"u8, out var content))
            {
                continue;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                if (!IsEmpty(content))
                {
                    yield return content;
                }
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (OpenAiWire.TryGetPartText(part, out var text, out _) && !IsEmpty(text))
                    {
                        yield return text;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Hands every user, assistant and tool message to <paramref name="sink"/>; system and developer
    /// messages are skipped (<see cref="InstructionTexts"/>). A user content part other than text and
    /// image is refused (<see cref="ModelRefusals.ContentPart"/>).
    /// </summary>
    public static void Walk(JsonElement messages, IOpenAiMessageSink sink)
    {
        foreach (var message in messages.EnumerateArray())
        {
            switch (OpenAiWire.Role(message))
            {
                case "system" or "developer":
                    break;
                case "user":
                    User(message, sink);
                    break;
                case "assistant":
                    Assistant(message, sink);
                    break;
                case "tool":
                    if (!message.TryGetProperty("tool_call_id"u8, out var id) || id.ValueKind != JsonValueKind.String)
                    {
                        throw new ProviderTranslationException("Tool messages need a 'tool_call_id'.");
                    }

                    sink.ToolResult(id, message);
                    break;
                default:
                    throw new ProviderTranslationException("Messages may only have the roles system, developer, user, assistant and tool.");
            }
        }
    }

    /// <summary>The provider's array of turns (<paramref name="arrayName"/>) written by <paramref name="sink"/> from every user, assistant and tool message.</summary>
    public static void WriteTurns(Utf8JsonWriter writer, ReadOnlySpan<byte> arrayName, JsonElement messages, IOpenAiMessageSink sink)
    {
        writer.WriteStartArray(arrayName);
        Walk(messages, sink);
        sink.Close();
        writer.WriteEndArray();
    }

    /// <summary>
    /// A tool call's <c>arguments</c> (OpenAI sends a JSON string) in <paramref name="arguments"/>;
    /// when they are absent or blank, writes the empty object both providers then want and returns true.
    /// </summary>
    public static bool WroteEmptyArguments(Utf8JsonWriter writer, JsonElement function, [NotNullWhen(false)] out string? arguments)
    {
        arguments = function.TryGetProperty("arguments"u8, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text)
            ? text
            : null;
        if (arguments is not null)
        {
            return false;
        }

        writer.WriteStartObject();
        writer.WriteEndObject();
        return true;
    }

    public static bool IsEmpty(JsonElement text) => text.ValueEquals(""u8);

    private static void User(JsonElement message, IOpenAiMessageSink sink)
    {
        if (!message.TryGetProperty("content"u8, out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            if (!IsEmpty(content))
            {
                sink.Text("user", content);
            }

            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new ProviderTranslationException("A message's 'content' must be a string or an array of parts.");
        }

        foreach (var part in content.EnumerateArray())
        {
            if (OpenAiWire.TryGetPartText(part, out var text, out var type))
            {
                if (!IsEmpty(text))
                {
                    sink.Text("user", text);
                }
            }
            else if (type == "image_url")
            {
                sink.Image(OpenAiWire.ImageUrl(part));
            }
            else
            {
                throw ModelRefusals.ContentPart();
            }
        }
    }

    private static void Assistant(JsonElement message, IOpenAiMessageSink sink)
    {
        if (message.TryGetProperty("content"u8, out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                if (!IsEmpty(content))
                {
                    sink.Text("assistant", content);
                }
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (!OpenAiWire.TryGetPartText(part, out var text, out _, refusalToo: true))
                    {
                        throw new ProviderTranslationException("Assistant messages may only hold 'text' and 'refusal' parts.");
                    }

                    if (!IsEmpty(text))
                    {
                        sink.Text("assistant", text);
                    }
                }
            }
        }

        if (!message.TryGetProperty("tool_calls"u8, out var toolCalls) || toolCalls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var call in toolCalls.EnumerateArray())
        {
            if (!call.TryGetProperty("id"u8, out var id) || id.ValueKind != JsonValueKind.String
                || !call.TryGetProperty("function"u8, out var function) || function.ValueKind != JsonValueKind.Object
                || !function.TryGetProperty("name"u8, out var name) || name.ValueKind != JsonValueKind.String)
            {
                throw new ProviderTranslationException("Every tool call needs an 'id' and a 'function' with a 'name'.");
            }

            sink.ToolCall(id, function, name);
        }
    }
}
