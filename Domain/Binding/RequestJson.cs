using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Synapse.Binding;

/// <summary>
/// How every request body is parsed: strictly, so that no two parsers can disagree, and so that
/// nothing downstream meets text it cannot handle. A body is refused (never half-read) when it is
/// not valid UTF-8, when an escape decodes to a lone UTF-16 surrogate (which no encoder downstream
/// can write back out), when it holds more than <see cref="MaxStrings"/> strings, or when its
/// <c>model</c> could not be recorded in the audit log as given (too long, or holding control
/// characters).
/// </summary>
public static class RequestJson
{
    /// <summary>The longest <c>model</c> accepted: the audit log's limit for identifier fields.</summary>
    public const int MaxModelLength = 256;

    /// <summary>
    /// The most string values a body may hold. Each string costs far more than its bytes further
    /// on (a node, a DLP scan, a token estimate: about 500 bytes and 3 to 5 µs measured), so a
    /// 4 MiB body of 830,000 two-letter strings (<c>"stop":["A1","A1",…]</c>) cost 2.2 s of CPU
    /// and 7.6 GB at 24 at once, against 0.1 s and 0.8 GB for 4 MiB of prose. At this count the
    /// worst body costs about three times the prose's CPU and less memory (docs/benchmarks.md,
    /// "Bodies built of many strings"); client APIs stay well under it (OpenAI allows 4 stop
    /// sequences, 128 tools and 2,048 embedding inputs).
    /// </summary>
    public const int MaxStrings = 50_000;

    /// <summary>
    /// Duplicate property names are refused: <c>{"model":"a","model":"b"}</c> must not let one
    /// reader see <c>a</c> and another <c>b</c>.
    /// </summary>
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>
    /// The body without a leading UTF-8 byte-order mark, which RFC 8259 §8.1 lets a parser ignore
    /// (and some Windows tools write): the <c>/v1</c> body reader applies it once, so every reader
    /// after it — the front end's look at <c>stream</c>, the key grain's parse, the model recorded
    /// for a refusal — sees the same bytes. The admin API's reader skips it by itself
    /// (<c>JsonSerializer.DeserializeAsync</c> on the request stream). A copy only when there is one.
    /// </summary>
    public static byte[] WithoutByteOrderMark(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body.AsSpan().StartsWith("\uFEFF"u8) ? body[3..] : body;
    }

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) => JsonObject.Create(ParseElement(utf8))!;

    /// <summary>
    /// The body as a read-only element under the same rules, for a reader that builds its own
    /// nodes (the Messages and Responses translations): nothing is materialised that is only read.
    /// </summary>
    public static JsonElement ParseElement(ReadOnlySpan<byte> utf8)
    {
        RequireValidText(utf8);
        JsonElement body;
        try
        {
            body = JsonElement.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException(Describe(e));
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException("The request body must be a JSON object.");
        }

        RequireRecordableModel(body);
        return body;
    }

    /// <summary>The parser's complaint without any of the offending text.</summary>
    public static string Describe(JsonException e)
    {
        var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : string.Empty;
        return e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
            ? $"The request body names the same property twice{where}."
            : $"The request body is not valid JSON{where}.";
    }

    /// <summary>
    /// Raw bytes must be UTF-8 (RFC 8259 §8.1), and every escaped string must decode to valid
    /// UTF-16. The JSON parser checks neither until a string is read, which would be deep inside
    /// the request path and fail there as an exception instead of a 400.
    /// </summary>
    private static void RequireValidText(ReadOnlySpan<byte> utf8)
    {
        (UndecodableText Fault, long At, int Strings) found;
        try
        {
            found = FindUndecodableText(utf8);
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException(Describe(e));
        }

        switch (found.Fault)
        {
            case UndecodableText.InvalidUtf8:
                throw new InvalidRequestException($"The request body is not valid UTF-8 (byte {found.At + 1}).");
            case UndecodableText.LoneSurrogate:
                throw new InvalidRequestException($"The request body has a string whose \\u escapes are not valid UTF-16, such as a lone surrogate (byte {found.At + 1}).");
        }

        if (found.Strings > MaxStrings)
        {
            throw new InvalidRequestException($"The request body holds {found.Strings} strings; the gateway accepts at most {MaxStrings} in one request.");
        }
    }

    /// <summary>
    /// The first text in <paramref name="utf8"/> that no reader could decode, and its byte offset:
    /// bytes that are not UTF-8, or a string or property name whose escapes are not valid UTF-16;
    /// and, read in the same pass, how many string values it holds.
    /// Provider answers are held to it too (<c>AnswerFields.Parse</c>).
    /// </summary>
    /// <exception cref="JsonException">The JSON itself is malformed.</exception>
    internal static (UndecodableText Fault, long At, int Strings) FindUndecodableText(ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            return (UndecodableText.InvalidUtf8, FirstInvalidByte(utf8), 0);
        }

        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        char[]? buffer = null;
        var strings = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String)
                {
                    strings++;
                }

                if ((reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName) && reader.ValueIsEscaped && !HasWellFormedEscapes(ref reader, ref buffer))
                {
                    return (UndecodableText.LoneSurrogate, reader.TokenStartIndex, strings);
                }
            }

            return (UndecodableText.None, 0, strings);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }

    private static bool HasWellFormedEscapes(ref Utf8JsonReader reader, ref char[]? buffer)
    {
        var escapedLength = reader.ValueSpan.Length;
        if (buffer is null || buffer.Length < escapedLength)
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }

            buffer = ArrayPool<char>.Shared.Rent(escapedLength);
        }

        int length;
        try
        {
            length = reader.CopyString(buffer);
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return !HasLoneSurrogate(buffer.AsSpan(0, length));
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> utf8)
    {
        var offset = 0;
        while (offset < utf8.Length)
        {
            if (Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) != OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return offset;
    }

    /// <summary>
    /// The model name is written to the audit log and compared with the allowlist as given, so it
    /// must fit the log's identifier fields. Its type and presence are the binding's to check.
    /// </summary>
    private static void RequireRecordableModel(JsonElement body)
    {
        if (body.TryGetProperty("model"u8, out var value) && value.ValueKind == JsonValueKind.String)
        {
            var model = value.GetString()!;
            if (model.Length > MaxModelLength || model.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || model.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
            {
                throw new InvalidRequestException($"'model' must be at most {MaxModelLength} characters and hold no control characters.", "model");
            }
        }
    }
}
