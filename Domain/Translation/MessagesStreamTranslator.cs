using System.Text;
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
    private readonly StringBuilder _heldText = new();
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
                var block = OpenBlock(events, "tool_use");
                block.WriteString("id"u8, call.Id);
                block.WriteString("name"u8, call.Name ?? string.Empty);
                block.WriteStartObject("input"u8);
                block.WriteEndObject();
                EndBlockStart(events, block);
                _openToolIndex = call.Index;
            }

            if (call.Arguments is { Length: > 0 } arguments && _openToolIndex == call.Index)
            {
                Delta(events, "input_json_delta", "partial_json"u8, arguments);
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

        var delta = events.BeginTyped("message_delta");
        delta.WriteStartObject("delta"u8);
        delta.WriteString("stop_reason"u8, MessagesAnswerTranslator.StopReason(_finishReason, _refused));
        delta.WriteNull("stop_sequence"u8);
        delta.WriteEndObject();
        MessagesAnswerTranslator.Usage(delta, _inputTokens, _outputTokens, _cachedTokens);
        events.EndTyped();
        events.BeginTyped("message_stop");
        events.EndTyped();
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
        var start = events.BeginTyped("message_start");
        start.WriteStartObject("message"u8);
        start.WriteString("id"u8, messageId);
        start.WriteString("type"u8, "message");
        start.WriteString("role"u8, "assistant");
        start.WriteString("model"u8, chunkModel ?? model);
        start.WriteStartArray("content"u8);
        start.WriteEndArray();
        start.WriteNull("stop_reason"u8);
        start.WriteNull("stop_sequence"u8);
        MessagesAnswerTranslator.Usage(start, 0, 0, 0);
        start.WriteEndObject();
        events.EndTyped();
        events.BeginTyped("ping");
        events.EndTyped();
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
            var block = OpenBlock(events, "text");
            block.WriteString("text"u8, string.Empty);
            EndBlockStart(events, block);
            _textOpen = true;
        }

        Delta(events, "text_delta", "text"u8, text);
    }

    /// <summary>Closes the open block and starts <c>content_block_start</c> for the next; the caller writes the block's fields, then <see cref="EndBlockStart"/>.</summary>
    private Utf8JsonWriter OpenBlock(SseEventWriter events, string type)
    {
        CloseBlock(events);
        var start = events.BeginTyped("content_block_start");
        start.WriteNumber("index"u8, _blocks);
        start.WriteStartObject("content_block"u8);
        start.WriteString("type"u8, type);
        return start;
    }

    private static void EndBlockStart(SseEventWriter events, Utf8JsonWriter block)
    {
        block.WriteEndObject();
        events.EndTyped();
    }

    private void Delta(SseEventWriter events, string type, ReadOnlySpan<byte> field, string value)
    {
        var delta = events.BeginTyped("content_block_delta");
        delta.WriteNumber("index"u8, _blocks);
        delta.WriteStartObject("delta"u8);
        delta.WriteString("type"u8, type);
        delta.WriteString(field, value);
        delta.WriteEndObject();
        events.EndTyped();
    }

    private void CloseBlock(SseEventWriter events)
    {
        if (!_textOpen && _openToolIndex is null)
        {
            return;
        }

        events.BeginTyped("content_block_stop").WriteNumber("index"u8, _blocks);
        events.EndTyped();
        _blocks++;
        _textOpen = false;
        _openToolIndex = null;
    }
}
