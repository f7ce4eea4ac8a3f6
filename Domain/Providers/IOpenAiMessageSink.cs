using System.Text.Json;

namespace Synapse.Providers;

/// <summary>
/// What a translator writes for each piece of an OpenAI conversation that <see cref="OpenAiMessageWalker"/>
/// hands it: the walker decides the order, checks the roles and the shapes, and skips empty texts.
/// </summary>
internal interface IOpenAiMessageSink
{
    /// <summary>A non-empty text of a <c>user</c> or <c>assistant</c> message (assistant refusals too).</summary>
    void Text(string role, JsonElement text);

    /// <summary>The URL of a user message's <c>image_url</c> part.</summary>
    void Image(string url);

    /// <summary>An assistant tool call, checked to have a string <c>id</c> and a <c>function</c> with a string <c>name</c>.</summary>
    void ToolCall(JsonElement id, JsonElement function, JsonElement name);

    /// <summary>A <c>tool</c> message, checked to have a string <c>tool_call_id</c>.</summary>
    void ToolResult(JsonElement toolCallId, JsonElement message);

    /// <summary>Ends the last open turn, after the last message.</summary>
    void Close();
}
