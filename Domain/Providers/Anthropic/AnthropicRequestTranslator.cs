using System.Buffers;
using System.Text.Json;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Anthropic;

/// <summary>
/// Turns an OpenAI chat-completions request into an Anthropic Messages request: system and
/// developer messages become the top-level <c>system</c>, consecutive turns of one role merge (the
/// Messages API wants user and assistant to alternate), tool calls become <c>tool_use</c> blocks and
/// tool messages <c>tool_result</c> blocks in a user turn.
/// </summary>
internal static class AnthropicRequestTranslator
{
    /// <summary>The Messages request for <paramref name="openAiRequest"/>; throws <see cref="ProviderTranslationException"/> or <see cref="JsonException"/>.</summary>
    public static byte[] Translate(ReadOnlyMemory<byte> openAiRequest, string fallbackModel, int defaultMaxTokens, bool stream) =>
        Translate(openAiRequest, fallbackModel, defaultMaxTokens, stream, out _);

    /// <inheritdoc cref="Translate(ReadOnlyMemory{byte}, string, int, bool)"/>
    /// <param name="includeUsage">Whether the request asked for a final usage chunk.</param>
    public static byte[] Translate(ReadOnlyMemory<byte> openAiRequest, string fallbackModel, int defaultMaxTokens, bool stream, out bool includeUsage)
    {
        using var document = OpenAiMessageWalker.Parse(openAiRequest, out var request, out var messages);
        if (OpenAiWire.TryGetNumber(request, "n"u8, out var n) && n.TryGetInt32(out var count) && count > 1)
        {
            throw ModelRefusals.MoreThanOneChoice();
        }

        includeUsage = OpenAiWire.IncludeUsage(request);
        var buffer = new ArrayBufferWriter<byte>(openAiRequest.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, OpenAiWire.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, OpenAiWire.Model(request, fallbackModel));
            writer.WriteNumber("max_tokens"u8, OpenAiWire.TryGetMaxTokens(request, out var maxTokens) ? maxTokens : defaultMaxTokens);
            WriteSystem(writer, messages);
            WriteMessages(writer, messages);
            WriteSampling(writer, request);
            WriteTools(writer, request);
            if (request.TryGetProperty("user"u8, out var user) && user.ValueKind == JsonValueKind.String)
            {
                writer.WriteStartObject("metadata"u8);
                writer.WriteString("user_id"u8, user.GetString());
                writer.WriteEndObject();
            }

            if (stream)
            {
                writer.WriteBoolean("stream"u8, true);
            }

            writer.WriteEndObject();
        }

        return OpenAiWire.ToArray(buffer);
    }

    private static void WriteSystem(Utf8JsonWriter writer, JsonElement messages)
    {
        var texts = 0;
        JsonElement single = default;
        foreach (var text in OpenAiMessageWalker.InstructionTexts(messages))
        {
            single = text;
            texts++;
        }

        if (texts == 0)
        {
            return;
        }

        if (texts == 1)
        {
            writer.WritePropertyName("system"u8);
            single.WriteTo(writer);
            return;
        }

        writer.WriteStartArray("system"u8);
        foreach (var text in OpenAiMessageWalker.InstructionTexts(messages))
        {
            WriteTextBlock(writer, text);
        }

        writer.WriteEndArray();
    }

    private static void WriteMessages(Utf8JsonWriter writer, JsonElement messages) =>
        OpenAiMessageWalker.WriteTurns(writer, "messages"u8, messages, new MessagesSink(writer));

    /// <summary>OpenAI sends tool arguments as a JSON string; Anthropic wants the object itself.</summary>
    internal static void WriteArguments(Utf8JsonWriter writer, JsonElement function)
    {
        if (OpenAiMessageWalker.WroteEmptyArguments(writer, function, out var arguments))
        {
            return;
        }

        try
        {
            writer.WriteRawValue(arguments);
        }
        catch (JsonException ex)
        {
            throw new ProviderTranslationException("A tool call's 'arguments' is not valid JSON.", ex);
        }
    }

    private static void WriteTextBlock(Utf8JsonWriter writer, JsonElement text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "text"u8);
        writer.WritePropertyName("text"u8);
        text.WriteTo(writer);
        writer.WriteEndObject();
    }

    private static void WriteImageBlock(Utf8JsonWriter writer, string url)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "image"u8);
        writer.WriteStartObject("source"u8);
        if (OpenAiWire.TryParseDataUrl(url, out var mediaType, out var data))
        {
            writer.WriteString("type"u8, "base64"u8);
            writer.WriteString("media_type"u8, mediaType);
            writer.WriteString("data"u8, data.Span);
        }
        else if (OpenAiWire.IsHttpUrl(url))
        {
            writer.WriteString("type"u8, "url"u8);
            writer.WriteString("url"u8, url);
        }
        else
        {
            throw new ProviderTranslationException("Image URLs must be base64 'data:' URLs or http(s) URLs.");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteSampling(Utf8JsonWriter writer, JsonElement request)
    {
        if (OpenAiWire.TryGetNumber(request, "temperature"u8, out var temperature))
        {
            writer.WritePropertyName("temperature"u8);
            temperature.WriteTo(writer);
        }

        if (OpenAiWire.TryGetNumber(request, "top_p"u8, out var topP))
        {
            writer.WritePropertyName("top_p"u8);
            topP.WriteTo(writer);
        }

        // A vendor parameter in OpenAI's world, a native one in Anthropic's.
        if (OpenAiWire.TryGetNumber(request, "top_k"u8, out var topK))
        {
            writer.WritePropertyName("top_k"u8);
            topK.WriteTo(writer);
        }

        if (request.TryGetProperty("stop"u8, out var stop))
        {
            if (stop.ValueKind == JsonValueKind.String)
            {
                writer.WriteStartArray("stop_sequences"u8);
                stop.WriteTo(writer);
                writer.WriteEndArray();
            }
            else if (stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() > 0)
            {
                writer.WritePropertyName("stop_sequences"u8);
                stop.WriteTo(writer);
            }
        }
    }

    private static void WriteTools(Utf8JsonWriter writer, JsonElement request)
    {
        if (!OpenAiTools.TryGet(request, out var tools))
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        foreach (var tool in tools.EnumerateArray())
        {
            var function = OpenAiTools.Function(tool);
            OpenAiTools.WriteDeclarationStart(writer, function);

            writer.WritePropertyName("input_schema"u8);
            if (function.TryGetProperty("parameters"u8, out var parameters) && parameters.ValueKind == JsonValueKind.Object)
            {
                parameters.WriteTo(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "object"u8);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteToolChoice(writer, request);
    }

    private static void WriteToolChoice(Utf8JsonWriter writer, JsonElement request)
    {
        var serial = request.TryGetProperty("parallel_tool_calls"u8, out var parallel) && parallel.ValueKind == JsonValueKind.False;
        ReadOnlySpan<byte> type = OpenAiToolChoiceReader.Read(request, out var named) switch
        {
            OpenAiToolChoice.None => "none"u8,
            OpenAiToolChoice.Required => "any"u8,
            OpenAiToolChoice.Function => "tool"u8,
            OpenAiToolChoice.Auto => "auto"u8,
            _ when serial => "auto"u8,
            _ => default,
        };
        if (type.IsEmpty)
        {
            return;
        }

        writer.WriteStartObject("tool_choice"u8);
        writer.WriteString("type"u8, type);
        if (named is not null)
        {
            writer.WriteString("name"u8, named);
        }

        if (serial && !type.SequenceEqual("none"u8))
        {
            writer.WriteBoolean("disable_parallel_tool_use"u8, true);
        }

        writer.WriteEndObject();
    }

    /// <summary>Messages API turns: content blocks in alternating user and assistant turns, tool results in a user turn.</summary>
    private sealed class MessagesSink(Utf8JsonWriter writer) : IOpenAiMessageSink
    {
        private TurnWriter _turns = new(writer, JsonEncodedText.Encode("content"));

        public void Text(string role, JsonElement text) => WriteTextBlock(_turns.Item(role), text);

        public void Image(string url) => WriteImageBlock(_turns.Item("user"), url);

        public void ToolCall(JsonElement id, JsonElement function, JsonElement name)
        {
            var writer = _turns.Item("assistant");
            writer.WriteStartObject();
            writer.WriteString("type"u8, "tool_use"u8);
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            writer.WritePropertyName("name"u8);
            name.WriteTo(writer);
            writer.WritePropertyName("input"u8);
            WriteArguments(writer, function);
            writer.WriteEndObject();
        }

        public void ToolResult(JsonElement toolCallId, JsonElement message)
        {
            var writer = _turns.Item("user");
            writer.WriteStartObject();
            writer.WriteString("type"u8, "tool_result"u8);
            writer.WritePropertyName("tool_use_id"u8);
            toolCallId.WriteTo(writer);
            if (message.TryGetProperty("content"u8, out var content))
            {
                if (content.ValueKind == JsonValueKind.String)
                {
                    if (!OpenAiMessageWalker.IsEmpty(content))
                    {
                        writer.WritePropertyName("content"u8);
                        content.WriteTo(writer);
                    }
                }
                else if (content.ValueKind == JsonValueKind.Array)
                {
                    writer.WriteStartArray("content"u8);
                    foreach (var part in content.EnumerateArray())
                    {
                        if (!OpenAiWire.TryGetPartText(part, out var text, out _))
                        {
                            throw new ProviderTranslationException("Tool messages may only hold 'text' parts.");
                        }

                        if (!OpenAiMessageWalker.IsEmpty(text))
                        {
                            WriteTextBlock(writer, text);
                        }
                    }

                    writer.WriteEndArray();
                }
            }

            writer.WriteEndObject();
        }

        public void Close() => _turns.Close();
    }
}
