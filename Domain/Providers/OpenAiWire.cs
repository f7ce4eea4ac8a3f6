using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Synapse.Providers;

/// <summary>
/// Small pieces of OpenAI's chat-completions wire format that every translator writes or reads.
/// </summary>
internal static class OpenAiWire
{
    /// <summary>Picks the text a provider's content part carries, if it carries any.</summary>
    public delegate bool TextOfPart(JsonElement part, out JsonElement text);

    /// <summary>
    /// Bodies go to APIs, not into HTML: the relaxed encoder keeps non-ASCII text and base64's
    /// <c>+</c> as they are instead of inflating them into <c>\uXXXX</c> escapes.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 128,
    };

    public const string StopReason = "stop";
    public const string LengthReason = "length";
    public const string ToolCallsReason = "tool_calls";
    public const string ContentFilterReason = "content_filter";

    /// <summary>Writes the fields every chunk starts with, and opens its <c>choices</c> array.</summary>
    public static void WriteChunkStart(Utf8JsonWriter writer, string id, long created, string model)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteString("object"u8, "chat.completion.chunk"u8);
        writer.WriteNumber("created"u8, created);
        writer.WriteString("model"u8, model);
        writer.WriteStartArray("choices"u8);
    }

    /// <summary>Opens one choice of a chunk and its <c>delta</c> object.</summary>
    public static void WriteChoiceDeltaStart(Utf8JsonWriter writer, int index)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        writer.WriteStartObject("delta"u8);
    }

    /// <summary>Closes a choice's <c>delta</c> and the choice, with its finish reason (or null).</summary>
    public static void WriteChoiceDeltaEnd(Utf8JsonWriter writer, string? finishReason)
    {
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason"u8);
        }
        else
        {
            writer.WriteString("finish_reason"u8, finishReason);
        }

        writer.WriteEndObject();
    }

    /// <summary>The chunk OpenAI sends last when <c>stream_options.include_usage</c> is set.</summary>
    public static void WriteUsageChunk(Utf8JsonWriter writer, string id, long created, string model, long promptTokens, long completionTokens, long cachedTokens)
    {
        WriteChunkStart(writer, id, created, model);
        writer.WriteEndArray();
        WriteUsage(writer, promptTokens, completionTokens, cachedTokens);
        writer.WriteEndObject();
    }

    public static void WriteUsage(Utf8JsonWriter writer, long promptTokens, long completionTokens, long cachedTokens)
    {
        writer.WriteStartObject("usage"u8);
        writer.WriteNumber("prompt_tokens"u8, promptTokens);
        writer.WriteNumber("completion_tokens"u8, completionTokens);
        writer.WriteNumber("total_tokens"u8, promptTokens + completionTokens);
        if (cachedTokens > 0)
        {
            writer.WriteStartObject("prompt_tokens_details"u8);
            writer.WriteNumber("cached_tokens"u8, cachedTokens);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Whether the request asked for a final usage chunk.</summary>
    public static bool IncludeUsage(JsonElement request) =>
        request.TryGetProperty("stream_options"u8, out var options)
        && options.ValueKind == JsonValueKind.Object
        && options.TryGetProperty("include_usage"u8, out var include)
        && include.ValueKind == JsonValueKind.True;

    /// <summary>The request's <c>model</c>, or <paramref name="fallback"/>.</summary>
    public static string Model(JsonElement request, string fallback) =>
        request.TryGetProperty("model"u8, out var model) && model.ValueKind == JsonValueKind.String
            ? model.GetString() ?? fallback
            : fallback;

    /// <summary>A number property that is present and not null.</summary>
    public static bool TryGetNumber(JsonElement obj, ReadOnlySpan<byte> name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Number;

    /// <summary>The request's output limit: <c>max_completion_tokens</c>, else <c>max_tokens</c>.</summary>
    public static bool TryGetMaxTokens(JsonElement request, out int maxTokens)
    {
        if ((TryGetNumber(request, "max_completion_tokens"u8, out var value) || TryGetNumber(request, "max_tokens"u8, out value))
            && value.TryGetInt32(out maxTokens))
        {
            return true;
        }

        maxTokens = 0;
        return false;
    }

    /// <summary>A message's role; system and developer messages are both instructions.</summary>
    public static string Role(JsonElement message)
    {
        if (message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("role"u8, out var role)
            && role.ValueKind == JsonValueKind.String)
        {
            return role.GetString()!;
        }

        throw new ProviderTranslationException("Every message needs a string 'role'.");
    }

    /// <summary>
    /// Splits a <c>data:</c> URL into its media type and base64 payload. Only base64 data URLs are
    /// images a provider accepts.
    /// </summary>
    public static bool TryParseDataUrl(string url, out string mediaType, out ReadOnlyMemory<char> base64)
    {
        mediaType = string.Empty;
        base64 = default;
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return false;
        }

        var header = url.AsSpan(5, comma - 5);
        const string base64Suffix = ";base64";
        if (!header.EndsWith(base64Suffix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        mediaType = header[..^base64Suffix.Length].ToString();
        base64 = url.AsMemory(comma + 1);
        return mediaType.Length > 0;
    }

    public static bool IsHttpUrl(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The URL of an <c>image_url</c> content part (an object with <c>url</c>, or the old bare string).</summary>
    public static string ImageUrl(JsonElement part)
    {
        if (part.TryGetProperty("image_url"u8, out var image))
        {
            if (image.ValueKind == JsonValueKind.String)
            {
                return image.GetString()!;
            }

            if (image.ValueKind == JsonValueKind.Object
                && image.TryGetProperty("url"u8, out var url)
                && url.ValueKind == JsonValueKind.String)
            {
                return url.GetString()!;
            }
        }

        throw new ProviderTranslationException("An 'image_url' content part needs a 'url'.");
    }

    /// <summary>
    /// The text of a content part of type <c>text</c>, or of type <c>refusal</c> when
    /// <paramref name="refusalToo"/> (assistant messages only: a refusal part elsewhere must never
    /// turn into the text of another role); false for other types.
    /// </summary>
    public static bool TryGetPartText(JsonElement part, out JsonElement text, out string type, bool refusalToo = false)
    {
        text = default;
        if (part.ValueKind != JsonValueKind.Object
            || !part.TryGetProperty("type"u8, out var typeElement)
            || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new ProviderTranslationException("Every content part needs a string 'type'.");
        }

        type = typeElement.GetString()!;
        return (type == "text" && part.TryGetProperty("text"u8, out text) && text.ValueKind == JsonValueKind.String)
            || (refusalToo && type == "refusal" && part.TryGetProperty("refusal"u8, out text) && text.ValueKind == JsonValueKind.String);
    }

    /// <summary>Copies a written buffer out, for a body or a chunk that outlives the buffer.</summary>
    public static byte[] ToArray(ArrayBufferWriter<byte> buffer) => buffer.WrittenSpan.ToArray();

    /// <summary>
    /// Writes a message's <c>content</c> from a provider's parts: null when no part carries text,
    /// a single text copied as it is, several joined into one string.
    /// </summary>
    public static void WriteContent(Utf8JsonWriter writer, JsonElement parts, TextOfPart textOf)
    {
        JsonElement first = default;
        var texts = 0;
        if (parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (textOf(part, out var text) && texts++ == 0)
                {
                    first = text;
                }
            }
        }

        if (texts == 0)
        {
            writer.WriteNull("content"u8);
            return;
        }

        writer.WritePropertyName("content"u8);
        if (texts == 1)
        {
            // Already a valid JSON string: copy its escaped bytes instead of decoding and re-encoding.
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(first), skipInputValidation: true);
            return;
        }

        var joined = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (textOf(part, out var text))
            {
                joined.Append(text.GetString());
            }
        }

        writer.WriteStringValue(joined.ToString());
    }
}
