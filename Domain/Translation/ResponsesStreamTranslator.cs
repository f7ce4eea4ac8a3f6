using System.Text;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// A filtered chat-completion stream as the Responses API's events: <c>response.created</c>,
/// <c>response.in_progress</c>, per output item <c>response.output_item.added</c>, its content
/// (<c>response.content_part.added</c>, <c>response.output_text.delta</c>/<c>.done</c>,
/// <c>response.content_part.done</c>) or arguments (<c>response.function_call_arguments.delta</c>/
/// <c>.done</c>) and <c>response.output_item.done</c>, and at the end <c>response.completed</c> (or
/// <c>response.incomplete</c>) with the whole response. Every event has a <c>sequence_number</c>.
/// </summary>
public sealed class ResponsesStreamTranslator(string responseId, long createdAt)
{
    private readonly ChatChunk _chunk = new();
    private readonly ResponseState _state = new(responseId, string.Empty, createdAt);
    private readonly List<Item> _items = [];
    private readonly StringBuilder _heldText = new();
    private Item? _open;
    private Utf8JsonWriter? _current;
    private bool _started;
    private int _sequence;

    public void Chunk(ReadOnlySpan<byte> chunk, SseEventWriter events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _chunk.Read(chunk);
        if (_chunk.Model is { } model)
        {
            _state.Model = model;
        }

        Start(events);
        if (_chunk.Text is { Length: > 0 } text)
        {
            TextDelta(events, text);
        }

        if (_chunk.Refusal is { Length: > 0 } refusal)
        {
            TextDelta(events, refusal);
        }

        foreach (var call in _chunk.ToolCalls)
        {
            if (call.Id is not null && (_open is not { IsCall: true } || _open.ChatIndex != call.Index))
            {
                CloseItem(events);
                _open = new Item(true, _state.FunctionItemId(_items.Count), call.Index, call.Id, call.Name ?? string.Empty);
                _items.Add(_open);
                var added = Begin(events, "response.output_item.added");
                added.WriteNumber("output_index", _items.Count - 1);
                added.WritePropertyName("item");
                WriteItem(added, _open, "in_progress");
                End(events);
            }

            if (call.Arguments is { Length: > 0 } arguments && _open is { IsCall: true } open && open.ChatIndex == call.Index)
            {
                open.Content.Append(arguments);
                var delta = Begin(events, "response.function_call_arguments.delta");
                delta.WriteString("item_id", open.Id);
                delta.WriteNumber("output_index", _items.Count - 1);
                delta.WriteString("delta", arguments);
                End(events);
            }
        }

        if (_chunk.FinishReason is { } finish)
        {
            _state.FinishReason = finish;
        }

        if (_chunk.HasUsage)
        {
            _state.InputTokens = _chunk.PromptTokens;
            _state.OutputTokens = _chunk.CompletionTokens;
            _state.CachedTokens = _chunk.CachedTokens;
        }
    }

    public void Finish(SseEventWriter events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Start(events);
        CloseItem(events);
        if (_heldText.Length > 0)
        {
            TextDelta(events, _heldText.ToString());
            _heldText.Clear();
            CloseItem(events);
        }

        var status = _state.FinalStatus;
        var done = Begin(events, status == "completed" ? "response.completed" : "response.incomplete");
        done.WritePropertyName("response");
        WriteResponse(done, null);
        End(events);
    }

    /// <summary>Ends a stream that broke after its first byte with the Responses API's <c>error</c> event.</summary>
    public void Error(SseEventWriter events, string? code, string message, string? param)
    {
        ArgumentNullException.ThrowIfNull(events);
        var error = Begin(events, "error");
        error.WriteString("code", code);
        error.WriteString("message", message);
        error.WriteString("param", param);
        End(events);
    }

    private void Start(SseEventWriter events)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        foreach (var name in (ReadOnlySpan<string>)["response.created", "response.in_progress"])
        {
            var start = Begin(events, name);
            start.WritePropertyName("response");
            WriteResponse(start, "in_progress");
            End(events);
        }
    }

    private void TextDelta(SseEventWriter events, string text)
    {
        if (_open is { IsCall: true } || (_open is null && _items.Exists(i => !i.IsCall)))
        {
            // An item cannot be interrupted or reopened: text the hold-back releases after a
            // function call began follows the calls as a message item of its own.
            _heldText.Append(text);
            return;
        }

        if (_open is null)
        {
            _open = new Item(false, _items.Count == 0 ? _state.MessageItemId : $"{_state.MessageItemId}_{_items.Count}", -1, null, null);
            _items.Add(_open);
            var added = Begin(events, "response.output_item.added");
            added.WriteNumber("output_index", _items.Count - 1);
            added.WritePropertyName("item");
            WriteItem(added, _open, "in_progress", withContent: false);
            End(events);
            var part = Begin(events, "response.content_part.added");
            ItemRef(part, _open);
            part.WritePropertyName("part");
            ResponseState.WriteTextPart(part, string.Empty);
            End(events);
        }

        _open.Content.Append(text);
        var delta = Begin(events, "response.output_text.delta");
        ItemRef(delta, _open);
        delta.WriteString("delta", text);
        delta.WriteStartArray("logprobs");
        delta.WriteEndArray();
        End(events);
    }

    private void CloseItem(SseEventWriter events)
    {
        if (_open is not { } item)
        {
            return;
        }

        if (item.IsCall)
        {
            var done = Begin(events, "response.function_call_arguments.done");
            done.WriteString("item_id", item.Id);
            done.WriteNumber("output_index", _items.Count - 1);
            done.WriteString("arguments", item.Content.ToString());
            End(events);
        }
        else
        {
            var text = item.Content.ToString();
            var done = Begin(events, "response.output_text.done");
            ItemRef(done, item);
            done.WriteString("text", text);
            done.WriteStartArray("logprobs");
            done.WriteEndArray();
            End(events);
            var part = Begin(events, "response.content_part.done");
            ItemRef(part, item);
            part.WritePropertyName("part");
            ResponseState.WriteTextPart(part, text);
            End(events);
        }

        var itemDone = Begin(events, "response.output_item.done");
        itemDone.WriteNumber("output_index", _items.Count - 1);
        itemDone.WritePropertyName("item");
        WriteItem(itemDone, item, "completed");
        End(events);
        _open = null;
    }

    private void ItemRef(Utf8JsonWriter writer, Item item)
    {
        writer.WriteString("item_id", item.Id);
        writer.WriteNumber("output_index", _items.IndexOf(item));
        writer.WriteNumber("content_index", 0);
    }

    private void WriteResponse(Utf8JsonWriter writer, string? status)
    {
        // The final response lists the items as they were streamed.
        _state.Text.Clear();
        _state.Calls.Clear();
        _state.Write(writer, status, status is null ? w => _items.ForEach(i => WriteItem(w, i, "completed")) : null);
    }

    private static void WriteItem(Utf8JsonWriter writer, Item item, string status, bool withContent = true)
    {
        writer.WriteStartObject();
        if (item.IsCall)
        {
            writer.WriteString("type", "function_call");
            writer.WriteString("id", item.Id);
            writer.WriteString("call_id", item.CallId);
            writer.WriteString("name", item.Name);
            writer.WriteString("arguments", item.Content.ToString());
            writer.WriteString("status", status);
        }
        else
        {
            writer.WriteString("type", "message");
            writer.WriteString("id", item.Id);
            writer.WriteString("status", status);
            writer.WriteString("role", "assistant");
            writer.WriteStartArray("content");
            if (withContent && status == "completed")
            {
                ResponseState.WriteTextPart(writer, item.Content.ToString());
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private Utf8JsonWriter Begin(SseEventWriter events, string type)
    {
        var writer = _current = events.Begin(type);
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteNumber("sequence_number", _sequence++);
        return writer;
    }

    private void End(SseEventWriter events)
    {
        _current!.WriteEndObject();
        events.End();
    }

    private sealed class Item(bool isCall, string id, int chatIndex, string? callId, string? name)
    {
        public bool IsCall => isCall;

        public string Id => id;

        public int ChatIndex => chatIndex;

        public string? CallId => callId;

        public string? Name => name;

        public StringBuilder Content { get; } = new();
    }
}
