using System.Runtime.InteropServices;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Anthropic;

/// <summary>
/// Turns the events of an Anthropic Messages stream into OpenAI chat-completion chunks, one
/// event at a time. The event's own <c>type</c> field decides (it always agrees with the SSE
/// <c>event:</c> name); event types this version does not know are skipped, as Anthropic asks.
/// </summary>
internal static class AnthropicStreamTranslator
{
    /// <summary>
    /// Translates one event into zero or one chunk, added to <paramref name="chunks"/>. Returns the
    /// failure that ends the stream (an <c>error</c> event, or an event without a type), else null.
    /// </summary>
    public static ProviderFailure? Translate(JsonElement evt, AnthropicStreamState state, List<byte[]> chunks)
    {
        if (!evt.TryGetProperty("type"u8, out var type))
        {
            return UpstreamFailures.Malformed;
        }

        if (type.ValueEquals("content_block_delta"u8))
        {
            ContentBlockDelta(evt, state, chunks);
        }
        else if (type.ValueEquals("content_block_start"u8))
        {
            ContentBlockStart(evt, state, chunks);
        }
        else if (type.ValueEquals("message_start"u8))
        {
            MessageStart(evt, state, chunks);
        }
        else if (type.ValueEquals("message_delta"u8))
        {
            MessageDelta(evt, state, chunks);
        }
        else if (type.ValueEquals("message_stop"u8))
        {
            state.MessageStopped = true;
        }
        else if (type.ValueEquals("error"u8))
        {
            return TranslatedStreamState.InStream(AnthropicResponseTranslator.ErrorType(evt), rateLimitedType: "rate_limit_error", timeoutType: "timeout_error");
        }

        // ping, content_block_stop and newer event types carry nothing an OpenAI client sees.
        return null;
    }

    private static void MessageStart(JsonElement evt, AnthropicStreamState state, List<byte[]> chunks)
    {
        if (evt.TryGetProperty("message"u8, out var message) && message.ValueKind == JsonValueKind.Object)
        {
            if (message.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String)
            {
                state.Id = id.GetString()!;
            }

            if (message.TryGetProperty("model"u8, out var model) && model.ValueKind == JsonValueKind.String)
            {
                state.Model = model.GetString()!;
            }

            if (message.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                RecordUsage(usage, state);
            }
        }

        var writer = state.StartDeltaChunk(0);
        writer.WriteString("role"u8, "assistant"u8);
        writer.WriteString("content"u8, ""u8);
        state.EndDeltaChunk(null, chunks);
    }

    private static void ContentBlockStart(JsonElement evt, AnthropicStreamState state, List<byte[]> chunks)
    {
        if (!evt.TryGetProperty("index"u8, out var indexElement) || !indexElement.TryGetInt32(out var blockIndex)
            || !evt.TryGetProperty("content_block"u8, out var block) || block.ValueKind != JsonValueKind.Object
            || !block.TryGetProperty("type"u8, out var type))
        {
            return;
        }

        var blocks = state.ToolIndexByBlock;
        while (blocks.Count <= blockIndex)
        {
            blocks.Add(-1);
        }

        if (type.ValueEquals("text"u8))
        {
            // The start of a text block carries an empty text; anything else in it is content.
            if (block.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String && !text.ValueEquals(""u8))
            {
                WriteContentChunk(state, JsonMarshal.GetRawUtf8Value(text), chunks);
            }

            return;
        }

        if (!type.ValueEquals("tool_use"u8))
        {
            return;
        }

        var toolIndex = state.ToolCalls++;
        blocks[blockIndex] = toolIndex;
        var writer = StartToolCallChunk(state, toolIndex);
        AnthropicResponseTranslator.WriteToolCallHead(writer, block);
        writer.WriteString("arguments"u8, ""u8);
        writer.WriteEndObject();
        EndToolCallChunk(state, writer, chunks);
    }

    private static void ContentBlockDelta(JsonElement evt, AnthropicStreamState state, List<byte[]> chunks)
    {
        if (!evt.TryGetProperty("delta"u8, out var delta) || delta.ValueKind != JsonValueKind.Object
            || !delta.TryGetProperty("type"u8, out var type))
        {
            return;
        }

        if (type.ValueEquals("text_delta"u8))
        {
            if (delta.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String && !text.ValueEquals(""u8))
            {
                WriteContentChunk(state, JsonMarshal.GetRawUtf8Value(text), chunks);
            }

            return;
        }

        if (!type.ValueEquals("input_json_delta"u8)
            || !delta.TryGetProperty("partial_json"u8, out var partial) || partial.ValueKind != JsonValueKind.String
            || partial.ValueEquals(""u8)
            || !evt.TryGetProperty("index"u8, out var indexElement) || !indexElement.TryGetInt32(out var blockIndex)
            || blockIndex >= state.ToolIndexByBlock.Count || state.ToolIndexByBlock[blockIndex] < 0)
        {
            // Thinking and signature deltas have no place in an OpenAI chunk.
            return;
        }

        var writer = StartToolCallChunk(state, state.ToolIndexByBlock[blockIndex]);
        writer.WriteStartObject("function"u8);
        writer.WritePropertyName("arguments"u8);
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(partial), skipInputValidation: true);
        writer.WriteEndObject();
        EndToolCallChunk(state, writer, chunks);
    }

    /// <summary>Opens a chunk whose one choice's delta holds one tool call, at <paramref name="toolIndex"/>, and returns the writer inside the call.</summary>
    private static Utf8JsonWriter StartToolCallChunk(AnthropicStreamState state, int toolIndex)
    {
        var writer = state.StartDeltaChunk(0);
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, toolIndex);
        return writer;
    }

    private static void EndToolCallChunk(AnthropicStreamState state, Utf8JsonWriter writer, List<byte[]> chunks)
    {
        writer.WriteEndObject();
        writer.WriteEndArray();
        state.EndDeltaChunk(null, chunks);
    }

    private static void MessageDelta(JsonElement evt, AnthropicStreamState state, List<byte[]> chunks)
    {
        if (evt.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            RecordUsage(usage, state);
        }

        string? stopReason = null;
        if (evt.TryGetProperty("delta"u8, out var delta) && delta.ValueKind == JsonValueKind.Object
            && delta.TryGetProperty("stop_reason"u8, out var reason) && reason.ValueKind == JsonValueKind.String)
        {
            stopReason = reason.GetString();
        }

        if (stopReason is null)
        {
            return;
        }

        state.StartDeltaChunk(0);
        state.EndDeltaChunk(AnthropicResponseTranslator.FinishReason(stopReason), chunks);
    }

    /// <summary>
    /// Usage is cumulative: <c>message_start</c> has the input, <c>message_delta</c> the output so
    /// far (and, on newer models, the input again). The latest non-zero figure wins.
    /// </summary>
    private static void RecordUsage(JsonElement usage, AnthropicStreamState state)
    {
        var (prompt, completion, cached) = AnthropicResponseTranslator.Usage(usage);
        if (prompt > 0)
        {
            state.PromptTokens = prompt;
            state.CachedTokens = cached;
        }

        if (completion > 0)
        {
            state.CompletionTokens = completion;
        }
    }

    /// <summary>A content chunk; <paramref name="escapedText"/> is a JSON string literal, quotes included.</summary>
    private static void WriteContentChunk(AnthropicStreamState state, ReadOnlySpan<byte> escapedText, List<byte[]> chunks)
    {
        var writer = state.StartDeltaChunk(0);
        writer.WritePropertyName("content"u8);
        writer.WriteRawValue(escapedText, skipInputValidation: true);
        state.EndDeltaChunk(null, chunks);
    }
}
