using System.Buffers;
using System.Text;
using System.Text.Json;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Gemini;

/// <summary>
/// Turns an OpenAI chat-completions request into a Gemini <c>generateContent</c> request: system
/// and developer messages become <c>systemInstruction</c>, assistant turns are <c>model</c> turns,
/// tool calls become <c>functionCall</c> parts and tool messages <c>functionResponse</c> parts in a
/// user turn; consecutive turns of one role merge.
/// </summary>
internal static class GeminiRequestTranslator
{
    /// <summary>
    /// Gemini's thinking models sign their function calls and want the signature back with the
    /// call. OpenAI clients echo only a tool call's id, so the signature travels inside it.
    /// </summary>
    public const string ThoughtSignatureMarker = "__thought__";

    /// <summary>The request body; throws <see cref="ProviderTranslationException"/> or <see cref="JsonException"/>.</summary>
    public static byte[] Translate(ReadOnlyMemory<byte> openAiRequest, string fallbackModel, out string model, out bool includeUsage)
    {
        using var document = OpenAiMessageWalker.Parse(openAiRequest, out var request, out var messages);
        model = ModelPath(OpenAiWire.Model(request, fallbackModel));
        includeUsage = OpenAiWire.IncludeUsage(request);
        var buffer = new ArrayBufferWriter<byte>(openAiRequest.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, OpenAiWire.WriterOptions))
        {
            writer.WriteStartObject();
            WriteContents(writer, messages);
            WriteSystemInstruction(writer, messages);
            WriteTools(writer, request);
            WriteGenerationConfig(writer, request);
            writer.WriteEndObject();
        }

        return OpenAiWire.ToArray(buffer);
    }

    /// <summary>The model as it goes into the path: Gemini's own <c>models/</c> prefix is dropped.</summary>
    public static string ModelPath(string model) =>
        model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;

    private static void WriteSystemInstruction(Utf8JsonWriter writer, JsonElement messages)
    {
        var open = false;
        foreach (var text in OpenAiMessageWalker.InstructionTexts(messages))
        {
            if (!open)
            {
                writer.WriteStartObject("systemInstruction"u8);
                writer.WriteStartArray("parts"u8);
                open = true;
            }

            WriteTextPart(writer, text);
        }

        if (open)
        {
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    private static void WriteContents(Utf8JsonWriter writer, JsonElement messages) =>
        OpenAiMessageWalker.WriteTurns(writer, "contents"u8, messages, new ContentsSink(writer));

    private static void WriteArguments(Utf8JsonWriter writer, JsonElement function)
    {
        if (OpenAiMessageWalker.WroteEmptyArguments(writer, function, out var arguments))
        {
            return;
        }

        var utf8 = Encoding.UTF8.GetBytes(arguments);
        if (!IsJsonObject(utf8))
        {
            throw new ProviderTranslationException("A tool call's 'arguments' must be a JSON object.");
        }

        writer.WriteRawValue(utf8, skipInputValidation: true);
    }

    private static string ToolText(JsonElement message)
    {
        if (!message.TryGetProperty("content"u8, out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var joined = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (!OpenAiWire.TryGetPartText(part, out var text, out _))
            {
                throw new ProviderTranslationException("Tool messages may only hold 'text' parts.");
            }

            joined.Append(text.GetString());
        }

        return joined.ToString();
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteTextPart(Utf8JsonWriter writer, JsonElement text)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("text"u8);
        text.WriteTo(writer);
        writer.WriteEndObject();
    }

    private static void WriteImagePart(Utf8JsonWriter writer, string url)
    {
        writer.WriteStartObject();
        if (OpenAiWire.TryParseDataUrl(url, out var mediaType, out var data))
        {
            writer.WriteStartObject("inlineData"u8);
            writer.WriteString("mimeType"u8, mediaType);
            writer.WriteString("data"u8, data.Span);
        }
        else if (OpenAiWire.IsHttpUrl(url))
        {
            writer.WriteStartObject("fileData"u8);
            writer.WriteString("mimeType"u8, GuessImageType(url));
            writer.WriteString("fileUri"u8, url);
        }
        else
        {
            throw new ProviderTranslationException("Image URLs must be base64 'data:' URLs or http(s) URLs.");
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>fileData</c> needs a MIME type the URL does not state; the extension is the best hint.</summary>
    private static string GuessImageType(string url)
    {
        var path = url.AsSpan();
        var end = path.IndexOfAny('?', '#');
        if (end >= 0)
        {
            path = path[..end];
        }

        return Path.GetExtension(path).ToString().ToLowerInvariant() switch
        {
            ".png" => "image/png",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            ".heic" => "image/heic",
            ".heif" => "image/heif",
            _ => "image/jpeg",
        };
    }

    private static void WriteTools(Utf8JsonWriter writer, JsonElement request)
    {
        if (!OpenAiTools.TryGet(request, out var tools))
        {
            return;
        }

        writer.WriteStartArray("tools"u8);
        writer.WriteStartObject();
        writer.WriteStartArray("functionDeclarations"u8);
        foreach (var tool in tools.EnumerateArray())
        {
            var function = OpenAiTools.Function(tool);
            OpenAiTools.WriteDeclarationStart(writer, function);

            // Gemini rejects an OBJECT schema without properties: a function without parameters says nothing.
            if (function.TryGetProperty("parameters"u8, out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("properties"u8, out var properties)
                && properties.ValueKind == JsonValueKind.Object && properties.EnumerateObject().Any())
            {
                writer.WritePropertyName("parameters"u8);
                GeminiSchema.Write(writer, parameters);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteToolConfig(writer, request);
    }

    private static void WriteToolConfig(Utf8JsonWriter writer, JsonElement request)
    {
        ReadOnlySpan<byte> mode = OpenAiToolChoiceReader.Read(request, out var named) switch
        {
            OpenAiToolChoice.None => "NONE"u8,
            OpenAiToolChoice.Required or OpenAiToolChoice.Function => "ANY"u8,
            OpenAiToolChoice.Auto => "AUTO"u8,
            _ => default,
        };
        if (mode.IsEmpty)
        {
            return;
        }

        writer.WriteStartObject("toolConfig"u8);
        writer.WriteStartObject("functionCallingConfig"u8);
        writer.WriteString("mode"u8, mode);
        if (named is not null)
        {
            writer.WriteStartArray("allowedFunctionNames"u8);
            writer.WriteStringValue(named);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter writer, JsonElement request)
    {
        var open = false;
        CopyNumber(writer, request, "temperature"u8, "temperature"u8, ref open);
        CopyNumber(writer, request, "top_p"u8, "topP"u8, ref open);
        CopyNumber(writer, request, "top_k"u8, "topK"u8, ref open);
        if (OpenAiWire.TryGetMaxTokens(request, out var maxTokens))
        {
            Open(writer, ref open).WriteNumber("maxOutputTokens"u8, maxTokens);
        }

        if (request.TryGetProperty("stop"u8, out var stop))
        {
            if (stop.ValueKind == JsonValueKind.String)
            {
                Open(writer, ref open).WriteStartArray("stopSequences"u8);
                stop.WriteTo(writer);
                writer.WriteEndArray();
            }
            else if (stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() > 0)
            {
                Open(writer, ref open).WritePropertyName("stopSequences"u8);
                stop.WriteTo(writer);
            }
        }

        CopyNumber(writer, request, "n"u8, "candidateCount"u8, ref open);
        CopyNumber(writer, request, "seed"u8, "seed"u8, ref open);
        CopyNumber(writer, request, "presence_penalty"u8, "presencePenalty"u8, ref open);
        CopyNumber(writer, request, "frequency_penalty"u8, "frequencyPenalty"u8, ref open);
        if (request.TryGetProperty("response_format"u8, out var format) && format.ValueKind == JsonValueKind.Object
            && format.TryGetProperty("type"u8, out var formatType))
        {
            if (formatType.ValueEquals("json_object"u8))
            {
                Open(writer, ref open).WriteString("responseMimeType"u8, "application/json"u8);
            }
            else if (formatType.ValueEquals("json_schema"u8))
            {
                Open(writer, ref open).WriteString("responseMimeType"u8, "application/json"u8);
                if (format.TryGetProperty("json_schema"u8, out var jsonSchema) && jsonSchema.ValueKind == JsonValueKind.Object
                    && jsonSchema.TryGetProperty("schema"u8, out var schema) && schema.ValueKind == JsonValueKind.Object)
                {
                    writer.WritePropertyName("responseSchema"u8);
                    GeminiSchema.Write(writer, schema);
                }
            }
        }

        if (open)
        {
            writer.WriteEndObject();
        }
    }

    private static void CopyNumber(Utf8JsonWriter writer, JsonElement request, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, ref bool open)
    {
        if (OpenAiWire.TryGetNumber(request, from, out var value))
        {
            Open(writer, ref open).WritePropertyName(to);
            value.WriteTo(writer);
        }
    }

    private static Utf8JsonWriter Open(Utf8JsonWriter writer, ref bool open)
    {
        if (!open)
        {
            writer.WriteStartObject("generationConfig"u8);
            open = true;
        }

        return writer;
    }

    /// <summary>
    /// <c>contents</c>: parts in alternating <c>user</c> and <c>model</c> turns, function calls in a
    /// model turn and their responses in a user turn, matched by the function's name.
    /// </summary>
    private sealed class ContentsSink(Utf8JsonWriter writer) : IOpenAiMessageSink
    {
        private TurnWriter _turns = new(writer, JsonEncodedText.Encode("parts"));
        private Dictionary<string, string>? _toolNames;

        public void Text(string role, JsonElement text) => WriteTextPart(_turns.Item(role == "assistant" ? "model" : role), text);

        public void Image(string url) => WriteImagePart(_turns.Item("user"), url);

        public void ToolCall(JsonElement id, JsonElement function, JsonElement name)
        {
            var callId = id.GetString()!;
            var functionName = name.GetString()!;
            (_toolNames ??= new Dictionary<string, string>(StringComparer.Ordinal))[callId] = functionName;
            var writer = _turns.Item("model");
            writer.WriteStartObject();
            writer.WriteStartObject("functionCall"u8);
            writer.WriteString("name"u8, functionName);
            writer.WritePropertyName("args"u8);
            WriteArguments(writer, function);
            writer.WriteEndObject();
            var marker = callId.IndexOf(ThoughtSignatureMarker, StringComparison.Ordinal);
            if (marker >= 0)
            {
                writer.WriteString("thoughtSignature"u8, callId.AsSpan(marker + ThoughtSignatureMarker.Length));
            }

            writer.WriteEndObject();
        }

        public void ToolResult(JsonElement toolCallId, JsonElement message)
        {
            // Gemini matches a response to its call by function name, which OpenAI's tool message lacks.
            if (_toolNames is null || !_toolNames.TryGetValue(toolCallId.GetString()!, out var name))
            {
                throw new ProviderTranslationException("A tool message's 'tool_call_id' matches no earlier assistant tool call.");
            }

            var text = ToolText(message);
            var writer = _turns.Item("user");
            writer.WriteStartObject();
            writer.WriteStartObject("functionResponse"u8);
            writer.WriteString("name"u8, name);
            writer.WritePropertyName("response"u8);
            var utf8 = Encoding.UTF8.GetBytes(text);
            if (IsJsonObject(utf8))
            {
                writer.WriteRawValue(utf8, skipInputValidation: true);
            }
            else
            {
                // The response must be an object; a plain answer goes under "result".
                writer.WriteStartObject();
                writer.WriteString("result"u8, text);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        public void Close() => _turns.Close();
    }
}
