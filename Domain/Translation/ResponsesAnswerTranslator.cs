using System.Buffers;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// A filtered <c>chat.completion</c> as a Responses API <c>response</c> object: a message item
/// (<c>output_text</c> or <c>refusal</c>), one <c>function_call</c> item per tool call, usage in the
/// Responses shape. An answer cut short (<c>length</c>) or stopped by response DLP
/// (<c>content_filter</c>) is <c>incomplete</c> with its reason.
/// </summary>
public static class ResponsesAnswerTranslator
{
    public static byte[] Translate(ReadOnlySpan<byte> chatCompletion, string responseId, long createdAt)
    {
        var answer = ChatAnswer.Read(chatCompletion);
        var buffer = new ArrayBufferWriter<byte>(512 + chatCompletion.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var state = new ResponseState(responseId, answer.Model, createdAt);
            state.AddAnswer(answer);
            state.Write(writer, status: null);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
