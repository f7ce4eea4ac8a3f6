using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Gemini;

/// <summary>Turns a Gemini <c>GenerateContentResponse</c> into an OpenAI <c>chat.completion</c>.</summary>
internal static class GeminiResponseTranslator
{
    /// <summary>The OpenAI response; throws <see cref="JsonException"/> or <see cref="InvalidDataException"/> when the answer is not a Gemini response.</summary>
    public static byte[] Translate(ReadOnlyMemory<byte> geminiResponse, string fallbackModel, string fallbackId, long created)
    {
        using var document = JsonDocument.Parse(geminiResponse, OpenAiWire.DocumentOptions);
        var response = document.RootElement;
        if (response.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("The answer is not a Gemini response.");
        }

        var buffer = new ArrayBufferWriter<byte>(geminiResponse.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, OpenAiWire.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, StringOr(response, "responseId"u8, fallbackId));
            writer.WriteString("object"u8, "chat.completion"u8);
            writer.WriteNumber("created"u8, created);
            writer.WriteString("model"u8, StringOr(response, "modelVersion"u8, fallbackModel));
            writer.WriteStartArray("choices"u8);
            var choices = 0;
            if (response.TryGetProperty("candidates"u8, out var candidates) && candidates.ValueKind == JsonValueKind.Array)
            {
                foreach (var candidate in candidates.EnumerateArray())
                {
                    WriteChoice(writer, candidate, choices++);
                }
            }

            if (choices == 0)
            {
                // A prompt blocked by safety filters has no candidates, only promptFeedback.
                writer.WriteStartObject();
                writer.WriteNumber("index"u8, 0);
                writer.WriteStartObject("message"u8);
                writer.WriteString("role"u8, "assistant"u8);
                writer.WriteNull("content"u8);
                writer.WriteNull("refusal"u8);
                writer.WriteEndObject();
                writer.WriteNull("logprobs"u8);
                writer.WriteString("finish_reason"u8, OpenAiWire.ContentFilterReason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (response.TryGetProperty("usageMetadata"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                var (prompt, completion, cached) = Usage(usage);
                OpenAiWire.WriteUsage(writer, prompt, completion, cached);
            }

            writer.WriteEndObject();
        }

        return OpenAiWire.ToArray(buffer);
    }

    /// <summary>Gemini's finish reason as OpenAI's; a model that called a function finished for <c>tool_calls</c>.</summary>
    public static string FinishReason(string? finishReason, bool calledFunction) => finishReason switch
    {
        "MAX_TOKENS" => OpenAiWire.LengthReason,
        "SAFETY" or "RECITATION" or "LANGUAGE" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY"
            => OpenAiWire.ContentFilterReason,
        _ => calledFunction ? OpenAiWire.ToolCallsReason : OpenAiWire.StopReason,
    };

    /// <summary>Completion tokens include the model's thinking, as OpenAI counts reasoning tokens.</summary>
    public static (long Prompt, long Completion, long Cached) Usage(JsonElement usage)
    {
        var prompt = Count(usage, "promptTokenCount"u8) + Count(usage, "toolUsePromptTokenCount"u8);
        var completion = Count(usage, "candidatesTokenCount"u8) + Count(usage, "thoughtsTokenCount"u8);
        return (prompt, completion, Count(usage, "cachedContentTokenCount"u8));
    }

    /// <summary>The status of a Google API error body, <c>{"error":{"code","message","status"}}</c> (streamed errors come as a one-element array).</summary>
    public static string? ErrorStatus(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > 0)
        {
            body = body[0];
        }

        return body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("error"u8, out var error)
            && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("status"u8, out var status)
            && status.ValueKind == JsonValueKind.String
                ? status.GetString()
                : null;
    }

    /// <summary>
    /// An OpenAI tool-call id for a Gemini function call: Gemini's own id when it sent one, a new
    /// one otherwise, carrying the call's thought signature when it has one.
    /// </summary>
    public static string ToolCallId(JsonElement part, JsonElement functionCall)
    {
        var id = functionCall.TryGetProperty("id"u8, out var given) && given.ValueKind == JsonValueKind.String
            ? given.GetString()!
            : "call_" + Guid.NewGuid().ToString("N")[..24];
        return part.TryGetProperty("thoughtSignature"u8, out var signature) && signature.ValueKind == JsonValueKind.String
            ? id + GeminiRequestTranslator.ThoughtSignatureMarker + signature.GetString()
            : id;
    }

    /// <summary>Whether a part is model thinking (only sent when asked for); it is not answer text.</summary>
    public static bool IsThought(JsonElement part) =>
        part.TryGetProperty("thought"u8, out var thought) && thought.ValueKind == JsonValueKind.True;

    private static long Count(JsonElement usage, ReadOnlySpan<byte> name) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count)
            ? count
            : 0;

    private static string StringOr(JsonElement obj, ReadOnlySpan<byte> name, string fallback) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? fallback : fallback;

    private static void WriteChoice(Utf8JsonWriter writer, JsonElement candidate, int position)
    {
        var index = candidate.TryGetProperty("index"u8, out var indexElement) && indexElement.TryGetInt32(out var given) ? given : position;
        var parts = candidate.TryGetProperty("content"u8, out var content) && content.ValueKind == JsonValueKind.Object
            && content.TryGetProperty("parts"u8, out var partsElement) && partsElement.ValueKind == JsonValueKind.Array
                ? partsElement
                : default;
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        OpenAiWire.WriteContent(writer, parts, TryGetText);
        writer.WriteNull("refusal"u8);
        var calledFunction = WriteToolCalls(writer, parts);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        var reason = candidate.TryGetProperty("finishReason"u8, out var reasonElement) && reasonElement.ValueKind == JsonValueKind.String
            ? reasonElement.GetString()
            : null;
        writer.WriteString("finish_reason"u8, FinishReason(reason, calledFunction));
        writer.WriteEndObject();
    }

    private static bool TryGetText(JsonElement part, out JsonElement text)
    {
        text = default;
        return part.ValueKind == JsonValueKind.Object
            && part.TryGetProperty("text"u8, out text)
            && text.ValueKind == JsonValueKind.String
            && !IsThought(part);
    }

    private static bool WriteToolCalls(Utf8JsonWriter writer, JsonElement parts)
    {
        if (parts.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var open = false;
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("functionCall"u8, out var call) || call.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (!open)
            {
                writer.WriteStartArray("tool_calls"u8);
                open = true;
            }

            WriteToolCall(writer, part, call, index: null);
        }

        if (open)
        {
            writer.WriteEndArray();
        }

        return open;
    }

    /// <summary>One OpenAI tool call (with <c>index</c> when it is a streamed delta).</summary>
    public static void WriteToolCall(Utf8JsonWriter writer, JsonElement part, JsonElement call, int? index)
    {
        writer.WriteStartObject();
        if (index is { } i)
        {
            writer.WriteNumber("index"u8, i);
        }

        writer.WriteString("id"u8, ToolCallId(part, call));
        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        if (call.TryGetProperty("name"u8, out var name))
        {
            writer.WritePropertyName("name"u8);
            name.WriteTo(writer);
        }

        if (call.TryGetProperty("args"u8, out var args) && args.ValueKind == JsonValueKind.Object)
        {
            writer.WriteString("arguments"u8, JsonMarshal.GetRawUtf8Value(args));
        }
        else
        {
            writer.WriteString("arguments"u8, "{}"u8);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
