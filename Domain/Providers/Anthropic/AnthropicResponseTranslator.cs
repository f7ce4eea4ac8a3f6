using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Anthropic;

/// <summary>Turns an Anthropic Messages response into an OpenAI <c>chat.completion</c>.</summary>
internal static class AnthropicResponseTranslator
{
    /// <summary>The OpenAI response; throws <see cref="JsonException"/> or <see cref="InvalidDataException"/> when the answer is not a message.</summary>
    public static byte[] Translate(ReadOnlyMemory<byte> anthropicResponse, string fallbackModel, long created)
    {
        using var document = JsonDocument.Parse(anthropicResponse, OpenAiWire.DocumentOptions);
        var message = document.RootElement;
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("content"u8, out var content)
            || content.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("The answer is not an Anthropic message.");
        }

        var buffer = new ArrayBufferWriter<byte>(anthropicResponse.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, OpenAiWire.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, StringOr(message, "id"u8, "msg"));
            writer.WriteString("object"u8, "chat.completion"u8);
            writer.WriteNumber("created"u8, created);
            writer.WriteString("model"u8, StringOr(message, "model"u8, fallbackModel));
            writer.WriteStartArray("choices"u8);
            writer.WriteStartObject();
            writer.WriteNumber("index"u8, 0);
            writer.WriteStartObject("message"u8);
            writer.WriteString("role"u8, "assistant"u8);
            OpenAiWire.WriteContent(writer, content, TextOf);
            writer.WriteNull("refusal"u8);
            WriteToolCalls(writer, content);
            writer.WriteEndObject();
            writer.WriteNull("logprobs"u8);
            var stopReason = message.TryGetProperty("stop_reason"u8, out var reason) && reason.ValueKind == JsonValueKind.String
                ? reason.GetString()
                : null;
            writer.WriteString("finish_reason"u8, FinishReason(stopReason));
            writer.WriteEndObject();
            writer.WriteEndArray();
            if (message.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                var (prompt, completion, cached) = Usage(usage);
                OpenAiWire.WriteUsage(writer, prompt, completion, cached);
            }

            writer.WriteEndObject();
        }

        return OpenAiWire.ToArray(buffer);
    }

    /// <summary>Anthropic's stop reason as an OpenAI finish reason.</summary>
    public static string FinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => OpenAiWire.LengthReason,
        "tool_use" => OpenAiWire.ToolCallsReason,
        "refusal" => OpenAiWire.ContentFilterReason,
        _ => OpenAiWire.StopReason,
    };

    /// <summary>
    /// Prompt tokens in OpenAI's sense include cached ones; Anthropic counts cache writes and
    /// reads apart from <c>input_tokens</c>.
    /// </summary>
    public static (long Prompt, long Completion, long Cached) Usage(JsonElement usage)
    {
        var input = Count(usage, "input_tokens"u8);
        var cacheWrite = Count(usage, "cache_creation_input_tokens"u8);
        var cacheRead = Count(usage, "cache_read_input_tokens"u8);
        return (input + cacheWrite + cacheRead, Count(usage, "output_tokens"u8), cacheRead);
    }

    /// <summary>The error type of an Anthropic error body: <c>{"type":"error","error":{"type":...}}</c>.</summary>
    public static string? ErrorType(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("error"u8, out var error)
        && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("type"u8, out var type)
        && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    internal static long Count(JsonElement usage, ReadOnlySpan<byte> name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count)
            ? count
            : 0;

    private static string StringOr(JsonElement obj, ReadOnlySpan<byte> name, string fallback) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? fallback : fallback;

    private static bool TextOf(JsonElement block, out JsonElement text)
    {
        text = default;
        return IsType(block, "text"u8) && block.TryGetProperty("text"u8, out text) && text.ValueKind == JsonValueKind.String;
    }

    private static void WriteToolCalls(Utf8JsonWriter writer, JsonElement content)
    {
        var open = false;
        foreach (var block in content.EnumerateArray())
        {
            if (!IsType(block, "tool_use"u8))
            {
                continue;
            }

            if (!open)
            {
                writer.WriteStartArray("tool_calls"u8);
                open = true;
            }

            writer.WriteStartObject();
            WriteToolCallHead(writer, block);
            if (block.TryGetProperty("input"u8, out var input))
            {
                // OpenAI carries arguments as a JSON string holding the object's text.
                writer.WriteString("arguments"u8, JsonMarshal.GetRawUtf8Value(input));
            }
            else
            {
                writer.WriteString("arguments"u8, "{}"u8);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (open)
        {
            writer.WriteEndArray();
        }
    }

    /// <summary>
    /// The start of an OpenAI tool call for a <c>tool_use</c> block, inside the call's object: its
    /// <c>id</c>, <c>type</c>, and the opened <c>function</c> object with its <c>name</c>.
    /// </summary>
    internal static void WriteToolCallHead(Utf8JsonWriter writer, JsonElement block)
    {
        if (block.TryGetProperty("id"u8, out var id))
        {
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
        }

        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        if (block.TryGetProperty("name"u8, out var name))
        {
            writer.WritePropertyName("name"u8);
            name.WriteTo(writer);
        }
    }

    private static bool IsType(JsonElement block, ReadOnlySpan<byte> type) =>
        block.ValueKind == JsonValueKind.Object
        && block.TryGetProperty("type"u8, out var value)
        && value.ValueEquals(type);
}
