using System.Text;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// A Responses API <c>response</c> as it is built — whole, or item by item from a stream — and
/// written: its output items (message text or refusal, function calls), status and usage.
/// </summary>
internal sealed class ResponseState(string responseId, string model, long createdAt)
{
    public string Id => responseId;

    public string Model { get; set; } = model;

    public StringBuilder Text { get; } = new();

    public StringBuilder Refusal { get; } = new();

    public List<(string ItemId, string CallId, string Name, StringBuilder Arguments)> Calls { get; } = [];

    public string? FinishReason { get; set; }

    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long CachedTokens { get; set; }

    public long ReasoningTokens { get; set; }

    public string MessageItemId => "msg_" + responseId["resp_".Length..];

    public void AddAnswer(ChatAnswer answer)
    {
        Text.Append(answer.Text);
        Refusal.Append(answer.Refusal);
        foreach (var call in answer.ToolCalls)
        {
            Calls.Add((FunctionItemId(Calls.Count), call.Id, call.Name, new StringBuilder(call.Arguments)));
        }

        FinishReason = answer.FinishReason;
        InputTokens = answer.PromptTokens;
        OutputTokens = answer.CompletionTokens;
        CachedTokens = answer.CachedTokens;
        ReasoningTokens = answer.ReasoningTokens;
    }

    public string FunctionItemId(int index) => $"fc_{responseId["resp_".Length..]}_{index}";

    /// <summary>completed, or incomplete when the answer was cut short or withheld.</summary>
    public string FinalStatus => FinishReason is "length" or "content_filter" ? "incomplete" : "completed";

    /// <param name="status">in_progress while streaming; null for the final status.</param>
    /// <param name="items">Writes the output items instead of this state's own (a stream's, in the order they were sent).</param>
    public void Write(Utf8JsonWriter writer, string? status, Action<Utf8JsonWriter>? items = null)
    {
        var final = status is null;
        status ??= FinalStatus;
        writer.WriteStartObject();
        writer.WriteString("id", responseId);
        writer.WriteString("object", "response");
        writer.WriteNumber("created_at", createdAt);
        writer.WriteString("status", status);
        writer.WriteNull("error");
        if (final && status == "incomplete")
        {
            writer.WriteStartObject("incomplete_details");
            writer.WriteString("reason", FinishReason == "length" ? "max_output_tokens" : "content_filter");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("incomplete_details");
        }

        writer.WriteString("model", Model);
        writer.WriteStartArray("output");
        if (final)
        {
            (items ?? WriteItems)(writer);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("parallel_tool_calls", true);
        writer.WriteStartArray("tools");
        writer.WriteEndArray();
        writer.WriteString("tool_choice", "auto");
        writer.WriteBoolean("store", false);
        if (final)
        {
            writer.WriteStartObject("usage");
            writer.WriteNumber("input_tokens", InputTokens);
            writer.WriteStartObject("input_tokens_details");
            writer.WriteNumber("cached_tokens", CachedTokens);
            writer.WriteEndObject();
            writer.WriteNumber("output_tokens", OutputTokens);
            writer.WriteStartObject("output_tokens_details");
            writer.WriteNumber("reasoning_tokens", ReasoningTokens);
            writer.WriteEndObject();
            writer.WriteNumber("total_tokens", InputTokens + OutputTokens);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("usage");
        }

        writer.WriteEndObject();
    }

    public bool HasMessage => Text.Length > 0 || Refusal.Length > 0 || Calls.Count == 0;

    public void WriteItems(Utf8JsonWriter writer)
    {
        if (HasMessage)
        {
            WriteMessageItem(writer, "completed");
        }

        for (var i = 0; i < Calls.Count; i++)
        {
            WriteFunctionItem(writer, i, "completed");
        }
    }

    public void WriteMessageItem(Utf8JsonWriter writer, string status, bool withContent = true)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "message");
        writer.WriteString("id", MessageItemId);
        writer.WriteString("status", status);
        writer.WriteString("role", "assistant");
        writer.WriteStartArray("content");
        if (withContent)
        {
            if (Refusal.Length > 0)
            {
                WriteRefusalPart(writer);
            }

            if (Text.Length > 0 || Refusal.Length == 0)
            {
                WriteTextPart(writer, Text.ToString());
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public void WriteFunctionItem(Utf8JsonWriter writer, int index, string status)
    {
        var call = Calls[index];
        writer.WriteStartObject();
        writer.WriteString("type", "function_call");
        writer.WriteString("id", call.ItemId);
        writer.WriteString("call_id", call.CallId);
        writer.WriteString("name", call.Name);
        writer.WriteString("arguments", call.Arguments.ToString());
        writer.WriteString("status", status);
        writer.WriteEndObject();
    }

    public static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "output_text");
        writer.WriteString("text", text);
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public void WriteRefusalPart(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "refusal");
        writer.WriteString("refusal", Refusal.ToString());
        writer.WriteEndObject();
    }
}
