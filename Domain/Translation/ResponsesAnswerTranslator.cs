using System.Buffers;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// A filtered <c>chat.completion</c> as a Responses API <c>response</c> object: a message item
/// (<c>refusal</c> and/or <c>output_text</c>), one <c>function_call</c> item per tool call, usage in
/// the Responses shape. An answer cut short (<c>length</c>) or stopped by response DLP
/// (<c>content_filter</c>) is <c>incomplete</c> with its reason.
/// </summary>
public static class ResponsesAnswerTranslator
{
    public static byte[] Translate(ReadOnlyMemory<byte> chatCompletion, string responseId, long createdAt)
    {
        var answer = ChatAnswer.Read(chatCompletion);
        var state = new ResponseState(responseId, answer.Model, createdAt);
        state.Settle(answer);
        var buffer = new ArrayBufferWriter<byte>(512 + chatCompletion.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            state.WriteFinal(writer, (state, answer), static (writer, whole) => WriteItems(writer, whole.state, whole.answer));
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteItems(Utf8JsonWriter writer, ResponseState state, ChatAnswer answer)
    {
        var text = answer.Text ?? string.Empty;
        var refusal = answer.Refusal ?? string.Empty;
        if (text.Length > 0 || refusal.Length > 0 || answer.ToolCalls.Count == 0)
        {
            ResponseState.WriteMessageItemStart(writer, state.MessageItemId(0), "completed");
            if (refusal.Length > 0)
            {
                ResponseState.WritePart(writer, refusal: true, refusal);
            }

            if (text.Length > 0 || refusal.Length == 0)
            {
                ResponseState.WritePart(writer, refusal: false, text);
            }

            ResponseState.WriteMessageItemEnd(writer);
        }

        for (var i = 0; i < answer.ToolCalls.Count; i++)
        {
            var call = answer.ToolCalls[i];
            ResponseState.WriteFunctionItem(writer, state.FunctionItemId(i), call.Id, call.Name, call.Arguments, "completed");
        }
    }
}
