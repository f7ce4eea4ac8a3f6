using System.Buffers;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// A filtered <c>chat.completion</c> as Anthropic's Messages answer: text and tool-use blocks,
/// the stop reason and usage in Anthropic's shape. Only what the gateway rebuilt is read, so
/// every text here has been through response DLP.
/// </summary>
public static class MessagesAnswerTranslator
{
    public static byte[] Translate(ReadOnlyMemory<byte> chatCompletion, string messageId)
    {
        var answer = ChatAnswer.Read(chatCompletion);
        var buffer = new ArrayBufferWriter<byte>(256 + chatCompletion.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id"u8, messageId);
            writer.WriteString("type"u8, "message");
            writer.WriteString("role"u8, "assistant");
            writer.WriteString("model"u8, answer.Model);
            writer.WriteStartArray("content"u8);
            if (answer.Text is { Length: > 0 } text)
            {
                TextBlock(writer, text);
            }

            if (answer.Refusal is { Length: > 0 } refusal)
            {
                TextBlock(writer, refusal);
            }

            foreach (var call in answer.ToolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("type"u8, "tool_use");
                writer.WriteString("id"u8, call.Id);
                writer.WriteString("name"u8, call.Name);
                writer.WritePropertyName("input"u8);
                WriteInput(writer, call.Arguments);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("stop_reason"u8, StopReason(answer.FinishReason, answer.Refusal is not null));
            writer.WriteNull("stop_sequence"u8);
            Usage(writer, answer.PromptTokens, answer.CompletionTokens, answer.CachedTokens);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Anthropic's stop reason for a chat finish reason. An answer stopped by response DLP
    /// (<c>content_filter</c>) or refused by the model reads as <c>refusal</c>.
    /// </summary>
    public static string StopReason(string? finishReason, bool refused = false) => finishReason switch
    {
        _ when refused => "refusal",
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };

    internal static void Usage(Utf8JsonWriter writer, long input, long output, long cached)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("input_tokens"u8, input - cached);
        writer.WriteNumber("output_tokens"u8, output);
        writer.WriteNumber("cache_read_input_tokens"u8, cached);
        writer.WriteNumber("cache_creation_input_tokens"u8, 0);
        writer.WriteEndObject();
    }

    /// <summary>A tool call's arguments as the client's <c>input</c> object: as they are when they are a JSON object, else the raw text under one key.</summary>
    private static void WriteInput(Utf8JsonWriter writer, string arguments)
    {
        if (!string.IsNullOrWhiteSpace(arguments))
        {
            try
            {
                using var document = JsonDocument.Parse(arguments);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    document.RootElement.WriteTo(writer);
                    return;
                }
            }
            catch (JsonException)
            {
                // Not JSON: passed on as text below.
            }
        }

        writer.WriteStartObject();
        if (!string.IsNullOrWhiteSpace(arguments))
        {
            writer.WriteString("arguments"u8, arguments);
        }

        writer.WriteEndObject();
    }

    private static void TextBlock(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "text");
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
    }
}
