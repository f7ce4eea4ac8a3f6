using System.Buffers;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// A filtered chat-completion stream as Anthropic's Messages events: <c>message_start</c> and a
/// <c>ping</c>, then per content block <c>content_block_start</c>, its deltas (<c>text_delta</c>,
/// <c>input_json_delta</c>) and <c>content_block_stop</c>, and at the end <c>message_delta</c>
/// (stop reason, usage) and <c>message_stop</c>. One instance per stream; chunks arrive after the
/// response-DLP hold-back, so every text it writes has been read.
/// </summary>
public sealed class MessagesStreamTranslator(string messageId, string model)
{
    private readonly ChatChunk _chunk = new();
    private readonly System.Text.StringBuilder _heldText = new();
    private bool _started;
    private int _blocks;
    private bool _textOpen;
    private int? _openToolIndex;
    private string? _finishReason;
    private bool _refused;
    private long _inputTokens;
    private long _outputTokens;
    private long _cachedTokens;

    /// <summary>Writes the events for one chat chunk (none, when it carries nothing the client sees).</summary>
    public void Chunk(ReadOnlySpan<byte> chunk, SseEventWriter events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _chunk.Read(chunk);
        Start(events, _chunk.Model);
        if (_chunk.Text is { Length: > 0 } text)
        {
            TextDelta(events, text);
        }

        if (_chunk.Refusal is { Length: > 0 } refusal)
        {
            _refused = true;
            TextDelta(events, refusal);
        }

        foreach (var call in _chunk.ToolCalls)
        {
            if (_openToolIndex != call.Index && call.Id is not null)
            {
                CloseBlock(events);
                var start = events.Begin("content_block_start");
                start.WriteStartObject();
                start.WriteString("type", "content_block_start");
                start.WriteNumber("index", _blocks);
                start.WriteStartObject("content_block");
                start.WriteString("type", "tool_use");
                start.WriteString("id", call.Id ?? string.Empty);
                start.WriteString("name", call.Name ?? string.Empty);
                start.WriteStartObject("input");
                start.WriteEndObject();
                start.WriteEndObject();
                start.WriteEndObject();
                events.End();
                _openToolIndex = call.Index;
            }

            if (call.Arguments is { Length: > 0 } arguments && _openToolIndex == call.Index)
            {
                var delta = events.Begin("content_block_delta");
                delta.WriteStartObject();
                delta.WriteString("type", "content_block_delta");
                delta.WriteNumber("index", _blocks);
                delta.WriteStartObject("delta");
                delta.WriteString("type", "input_json_delta");
                delta.WriteString("partial_json", arguments);
                delta.WriteEndObject();
                delta.WriteEndObject();
                events.End();
            }
        }

        if (_chunk.FinishReason is { } finish)
        {
            _finishReason = finish;
        }

        if (_chunk.HasUsage)
        {
            _inputTokens = _chunk.PromptTokens;
            _outputTokens = _chunk.CompletionTokens;
            _cachedTokens = _chunk.CachedTokens;
        }
    }

    /// <summary>Closes the open block and ends the message: <c>message_delta</c>, <c>message_stop</c>.</summary>
    public void Finish(SseEventWriter events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Start(events, null);
        CloseBlock(events);
        if (_heldText.Length > 0)
        {
            TextDelta(events, _heldText.ToString());
            _heldText.Clear();
            CloseBlock(events);
        }

        var delta = events.Begin("message_delta");
        delta.WriteStartObject();
        delta.WriteString("type", "message_delta");
        delta.WriteStartObject("delta");
        delta.WriteString("stop_reason", MessagesAnswerTranslator.StopReason(_finishReason, _refused));
        delta.WriteNull("stop_sequence");
        delta.WriteEndObject();
        MessagesAnswerTranslator.Usage(delta, _inputTokens, _outputTokens, _cachedTokens);
        delta.WriteEndObject();
        events.End();
        var stop = events.Begin("message_stop");
        stop.WriteStartObject();
        stop.WriteString("type", "message_stop");
        stop.WriteEndObject();
        events.End();
    }

    /// <summary>Ends a stream that broke after its first byte with Anthropic's <c>error</c> event.</summary>
    public static void Error(SseEventWriter events, string type, string message)
    {
        ArgumentNullException.ThrowIfNull(events);
        var error = events.Begin("error");
        AnthropicErrorBody.Write(error, type, message);
        events.End();
    }

    private void Start(SseEventWriter events, string? chunkModel)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        var start = events.Begin("message_start");
        start.WriteStartObject();
        start.WriteString("type", "message_start");
        start.WriteStartObject("message");
        start.WriteString("id", messageId);
        start.WriteString("type", "message");
        start.WriteString("role", "assistant");
        start.WriteString("model", chunkModel ?? model);
        start.WriteStartArray("content");
        start.WriteEndArray();
        start.WriteNull("stop_reason");
        start.WriteNull("stop_sequence");
        MessagesAnswerTranslator.Usage(start, 0, 0, 0);
        start.WriteEndObject();
        start.WriteEndObject();
        events.End();
        var ping = events.Begin("ping");
        ping.WriteStartObject();
        ping.WriteString("type", "ping");
        ping.WriteEndObject();
        events.End();
    }

    private void TextDelta(SseEventWriter events, string text)
    {
        if (_openToolIndex is not null)
        {
            // The filter's hold-back can release text after a tool call has begun; a block cannot
            // be interrupted, so the text follows the tool calls as a block of its own.
            _heldText.Append(text);
            return;
        }

        if (!_textOpen)
        {
            CloseBlock(events);
            var start = events.Begin("content_block_start");
            start.WriteStartObject();
            start.WriteString("type", "content_block_start");
            start.WriteNumber("index", _blocks);
            start.WriteStartObject("content_block");
            start.WriteString("type", "text");
            start.WriteString("text", string.Empty);
            start.WriteEndObject();
            start.WriteEndObject();
            events.End();
            _textOpen = true;
        }

        var delta = events.Begin("content_block_delta");
        delta.WriteStartObject();
        delta.WriteString("type", "content_block_delta");
        delta.WriteNumber("index", _blocks);
        delta.WriteStartObject("delta");
        delta.WriteString("type", "text_delta");
        delta.WriteString("text", text);
        delta.WriteEndObject();
        delta.WriteEndObject();
        events.End();
    }

    private void CloseBlock(SseEventWriter events)
    {
        if (!_textOpen && _openToolIndex is null)
        {
            return;
        }

        var stop = events.Begin("content_block_stop");
        stop.WriteStartObject();
        stop.WriteString("type", "content_block_stop");
        stop.WriteNumber("index", _blocks);
        stop.WriteEndObject();
        events.End();
        _blocks++;
        _textOpen = false;
        _openToolIndex = null;
    }
}
