using System.Text;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// A filtered chat-completion stream as the Responses API's events: <c>response.created</c>,
/// <c>response.in_progress</c>, per output item <c>response.output_item.added</c>, its content
/// parts (<c>response.content_part.added</c>, <c>response.output_text.delta</c>/<c>.done</c> or
/// <c>response.refusal.delta</c>/<c>.done</c>, <c>response.content_part.done</c>) or arguments
/// (<c>response.function_call_arguments.delta</c>/<c>.done</c>) and
/// <c>response.output_item.done</c>, and at the end <c>response.completed</c> (or
/// <c>response.incomplete</c>) with the whole response. Every event has a <c>sequence_number</c>.
/// </summary>
public sealed class ResponsesStreamTranslator(string responseId, long createdAt)
{
    private readonly ChatChunk _chunk = new();
    private readonly ResponseState _state = new(responseId, string.Empty, createdAt);
    private readonly List<OutputItem> _items = [];
    private readonly List<(bool Refusal, string Text)> _held = [];
    private OutputItem? _open;
    private bool _messageClosed;
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
            Content(events, refusal: false, text);
        }

        if (_chunk.Refusal is { Length: > 0 } refusal)
        {
            Content(events, refusal: true, refusal);
        }

        foreach (var call in _chunk.ToolCalls)
        {
            if (call.Id is not null && (_open is not { IsCall: true } || _open.ChatIndex != call.Index))
            {
                CloseItem(events);
                _open = new OutputItem(_items.Count, _state.FunctionItemId(_items.Count), call.Index, call.Id, call.Name ?? string.Empty);
                AddItem(events, _open);
            }

            if (call.Arguments is { Length: > 0 } arguments && _open is { IsCall: true } open && open.ChatIndex == call.Index)
            {
                open.Arguments.Append(arguments);
                var delta = Begin(events, "response.function_call_arguments.delta");
                delta.WriteString("item_id"u8, open.Id);
                delta.WriteNumber("output_index"u8, open.OutputIndex);
                delta.WriteString("delta"u8, arguments);
                events.EndTyped();
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
        if (_held.Count > 0)
        {
            _messageClosed = false;
            foreach (var (refusal, text) in _held)
            {
                Content(events, refusal, text);
            }

            _held.Clear();
            CloseItem(events);
        }

        var done = Begin(events, _state.FinalStatus == "completed" ? "response.completed" : "response.incomplete");
        done.WritePropertyName("response"u8);
        _state.WriteFinal(done, _items, static (writer, items) =>
        {
            foreach (var item in items)
            {
                item.Write(writer, "completed");
            }
        });
        events.EndTyped();
    }

    /// <summary>Ends a stream that broke after its first byte with the Responses API's <c>error</c> event.</summary>
    public void Error(SseEventWriter events, string? code, string message, string? param)
    {
        ArgumentNullException.ThrowIfNull(events);
        var error = Begin(events, "error");
        error.WriteString("code"u8, code);
        error.WriteString("message"u8, message);
        error.WriteString("param"u8, param);
        events.EndTyped();
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
            start.WritePropertyName("response"u8);
            _state.WriteInProgress(start);
            events.EndTyped();
        }
    }

    /// <summary>Text or refusal text for the message item, in a part of its kind.</summary>
    private void Content(SseEventWriter events, bool refusal, string text)
    {
        if (_open is { IsCall: true } || (_open is null && _messageClosed))
        {
            // An item cannot be interrupted or reopened: text the hold-back releases after a
            // function call began follows the calls as a message item of its own.
            _held.Add((refusal, text));
            return;
        }

        if (_open is null)
        {
            _open = new OutputItem(_items.Count, _state.MessageItemId(_items.Count));
            AddItem(events, _open);
        }

        var message = _open;
        if (message.Parts.Count == 0 || message.Parts[^1].Refusal != refusal)
        {
            // A part holds one kind of text: a refusal after text (or text after it) is a part of its own.
            CloseLastPart(events, message);
            message.Parts.Add(new ContentPart(refusal));
            var added = Begin(events, "response.content_part.added");
            PartRef(added, message);
            added.WritePropertyName("part"u8);
            ResponseState.WritePart(added, refusal, string.Empty);
            events.EndTyped();
        }

        message.Parts[^1].Text.Append(text);
        var delta = Begin(events, refusal ? "response.refusal.delta" : "response.output_text.delta");
        PartRef(delta, message);
        delta.WriteString("delta"u8, text);
        if (!refusal)
        {
            delta.WriteStartArray("logprobs"u8);
            delta.WriteEndArray();
        }

        events.EndTyped();
    }

    private void AddItem(SseEventWriter events, OutputItem item)
    {
        _items.Add(item);
        var added = Begin(events, "response.output_item.added");
        added.WriteNumber("output_index"u8, item.OutputIndex);
        added.WritePropertyName("item"u8);
        item.Write(added, "in_progress");
        events.EndTyped();
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
            done.WriteString("item_id"u8, item.Id);
            done.WriteNumber("output_index"u8, item.OutputIndex);
            done.WriteString("arguments"u8, item.Arguments.ToString());
            events.EndTyped();
        }
        else
        {
            CloseLastPart(events, item);
            _messageClosed = true;
        }

        var itemDone = Begin(events, "response.output_item.done");
        itemDone.WriteNumber("output_index"u8, item.OutputIndex);
        itemDone.WritePropertyName("item"u8);
        item.Write(itemDone, "completed");
        events.EndTyped();
        _open = null;
    }

    private void CloseLastPart(SseEventWriter events, OutputItem message)
    {
        if (message.Parts.Count == 0)
        {
            return;
        }

        var part = message.Parts[^1];
        var text = part.Text.ToString();
        var done = Begin(events, part.Refusal ? "response.refusal.done" : "response.output_text.done");
        PartRef(done, message);
        done.WriteString(part.Refusal ? "refusal"u8 : "text"u8, text);
        if (!part.Refusal)
        {
            done.WriteStartArray("logprobs"u8);
            done.WriteEndArray();
        }

        events.EndTyped();
        var partDone = Begin(events, "response.content_part.done");
        PartRef(partDone, message);
        partDone.WritePropertyName("part"u8);
        ResponseState.WritePart(partDone, part.Refusal, text);
        events.EndTyped();
    }

    private static void PartRef(Utf8JsonWriter writer, OutputItem message)
    {
        writer.WriteString("item_id"u8, message.Id);
        writer.WriteNumber("output_index"u8, message.OutputIndex);
        writer.WriteNumber("content_index"u8, message.Parts.Count - 1);
    }

    private Utf8JsonWriter Begin(SseEventWriter events, string type)
    {
        var writer = events.BeginTyped(type);
        writer.WriteNumber("sequence_number"u8, _sequence++);
        return writer;
    }

    /// <summary>One output item as streamed: a message with its parts, or a function call with its arguments.</summary>
    private sealed class OutputItem(int outputIndex, string id, int chatIndex = -1, string? callId = null, string? name = null)
    {
        public int OutputIndex => outputIndex;

        public string Id => id;

        public bool IsCall => callId is not null;

        public int ChatIndex => chatIndex;

        public List<ContentPart> Parts { get; } = [];

        public StringBuilder Arguments { get; } = new();

        /// <summary>The item as <c>output_item.added</c> (in progress, no content yet) and <c>.done</c> and the final response (completed) carry it.</summary>
        public void Write(Utf8JsonWriter writer, string status)
        {
            if (IsCall)
            {
                ResponseState.WriteFunctionItem(writer, id, callId!, name!, Arguments.ToString(), status);
                return;
            }

            ResponseState.WriteMessageItemStart(writer, id, status);
            if (status == "completed")
            {
                foreach (var part in Parts)
                {
                    ResponseState.WritePart(writer, part.Refusal, part.Text.ToString());
                }
            }

            ResponseState.WriteMessageItemEnd(writer);
        }
    }

    private sealed class ContentPart(bool refusal)
    {
        public bool Refusal => refusal;

        public StringBuilder Text { get; } = new();
    }
}
