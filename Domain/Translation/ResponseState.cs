using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// A Responses API <c>response</c> as it is written, whole or at the start and end of a stream:
/// its envelope (status, model, usage) and the shapes of its output items and content parts. The
/// items themselves are the writer's: a whole answer's from its chat answer, a stream's in the
/// order they were sent.
/// </summary>
internal sealed class ResponseState(string responseId, string model, long createdAt)
{
    public string Model { get; set; } = model;

    public string? FinishReason { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long CachedTokens { get; set; }

    public long ReasoningTokens { get; set; }

    public string MessageItemId(int index) => index == 0 ? "msg_" + responseId["resp_".Length..] : $"msg_{responseId["resp_".Length..]}_{index}";

    public string FunctionItemId(int index) => $"fc_{responseId["resp_".Length..]}_{index}";

    /// <summary>completed, or incomplete when the answer was cut short or withheld.</summary>
    public string FinalStatus => FinishReason is "length" or "content_filter" ? "incomplete" : "completed";

    /// <summary>Takes the finish reason and usage of a whole chat answer.</summary>
    public void Settle(ChatAnswer answer)
    {
        FinishReason = answer.FinishReason;
        InputTokens = answer.PromptTokens;
        OutputTokens = answer.CompletionTokens;
        CachedTokens = answer.CachedTokens;
        ReasoningTokens = answer.ReasoningTokens;
    }

    /// <summary>The response in progress (no output, no usage), as a stream's first events carry it.</summary>
    public void WriteInProgress(Utf8JsonWriter writer)
    {
        WriteHead(writer, "in_progress", incomplete: false);
        writer.WriteStartArray("output"u8);
        writer.WriteEndArray();
        WriteTail(writer, usage: false);
    }

    /// <summary>The final response; <paramref name="items"/> writes its output items.</summary>
    public void WriteFinal<TItems>(Utf8JsonWriter writer, TItems items, Action<Utf8JsonWriter, TItems> writeItems)
    {
        ArgumentNullException.ThrowIfNull(writeItems);
        var status = FinalStatus;
        WriteHead(writer, status, incomplete: status == "incomplete");
        writer.WriteStartArray("output"u8);
        writeItems(writer, items);
        writer.WriteEndArray();
        WriteTail(writer, usage: true);
    }

    public static void WriteMessageItemStart(Utf8JsonWriter writer, string id, string status)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "message");
        writer.WriteString("id"u8, id);
        writer.WriteString("status"u8, status);
        writer.WriteString("role"u8, "assistant");
        writer.WriteStartArray("content"u8);
    }

    public static void WriteMessageItemEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteFunctionItem(Utf8JsonWriter writer, string id, string callId, string name, string arguments, string status)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "function_call");
        writer.WriteString("id"u8, id);
        writer.WriteString("call_id"u8, callId);
        writer.WriteString("name"u8, name);
        writer.WriteString("arguments"u8, arguments);
        writer.WriteString("status"u8, status);
        writer.WriteEndObject();
    }

    /// <summary>A content part: <c>output_text</c> (with its empty annotations) or <c>refusal</c>.</summary>
    public static void WritePart(Utf8JsonWriter writer, bool refusal, string text)
    {
        writer.WriteStartObject();
        if (refusal)
        {
            writer.WriteString("type"u8, "refusal");
            writer.WriteString("refusal"u8, text);
        }
        else
        {
            writer.WriteString("type"u8, "output_text");
            writer.WriteString("text"u8, text);
            writer.WriteStartArray("annotations"u8);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private void WriteHead(Utf8JsonWriter writer, string status, bool incomplete)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, responseId);
        writer.WriteString("object"u8, "response");
        writer.WriteNumber("created_at"u8, createdAt);
        writer.WriteString("status"u8, status);
        writer.WriteNull("error"u8);
        if (incomplete)
        {
            writer.WriteStartObject("incomplete_details"u8);
            writer.WriteString("reason"u8, FinishReason == "length" ? "max_output_tokens" : "content_filter");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("incomplete_details"u8);
        }

        writer.WriteString("model"u8, Model);
    }

    private void WriteTail(Utf8JsonWriter writer, bool usage)
    {
        writer.WriteBoolean("parallel_tool_calls"u8, true);
        writer.WriteStartArray("tools"u8);
        writer.WriteEndArray();
        writer.WriteString("tool_choice"u8, "auto");
        writer.WriteBoolean("store"u8, false);
        if (usage)
        {
            writer.WriteStartObject("usage"u8);
            writer.WriteNumber("input_tokens"u8, InputTokens);
            writer.WriteStartObject("input_tokens_details"u8);
            writer.WriteNumber("cached_tokens"u8, CachedTokens);
            writer.WriteEndObject();
            writer.WriteNumber("output_tokens"u8, OutputTokens);
            writer.WriteStartObject("output_tokens_details"u8);
            writer.WriteNumber("reasoning_tokens"u8, ReasoningTokens);
            writer.WriteEndObject();
            writer.WriteNumber("total_tokens"u8, InputTokens + OutputTokens);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("usage"u8);
        }

        writer.WriteEndObject();
    }
}
