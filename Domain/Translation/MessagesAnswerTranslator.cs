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
    public static byte[] Translate(ReadOnlySpan<byte> chatCompletion, string messageId)
    {
        var answer = ChatAnswer.Read(chatCompletion);
        var buffer = new ArrayBufferWriter<byte>(256 + chatCompletion.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", messageId);
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", answer.Model);
            writer.WriteStartArray("content");
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
                writer.WriteString("type", "tool_use");
                writer.WriteString("id", call.Id);
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("input");
                TranslationJson.ArgumentsObject(call.Arguments).WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("stop_reason", StopReason(answer.FinishReason, answer.Refusal is not null));
            writer.WriteNull("stop_sequence");
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
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", input - cached);
        writer.WriteNumber("output_tokens", output);
        writer.WriteNumber("cache_read_input_tokens", cached);
        writer.WriteNumber("cache_creation_input_tokens", 0);
        writer.WriteEndObject();
    }

    private static void TextBlock(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }
}
