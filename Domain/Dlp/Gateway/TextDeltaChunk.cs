using System.Buffers;
using System.Text.Json;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// The chunk nearly every stream is made of — one choice whose delta carries a role and text and
/// nothing that finishes it — read with <see cref="Utf8JsonReader"/> and written with
/// <see cref="Utf8JsonWriter"/>, where <see cref="StreamingResponseFilter"/>'s general path builds
/// a JSON DOM of the chunk and another of its answer (about 5 KB of garbage per chunk, and a third
/// of a long stream's CPU; docs/benchmarks.md). Reading has no side effects: any chunk it does not recognise as
/// exactly this shape — a tool call, log probabilities, a finish reason, usage (other than null), a repeated
/// property name, several choices, bad JSON or text — is left to the general path, so both paths send the
/// same bytes and keep the same state (<c>StreamingResponseFilterPathTests</c>).
/// </summary>
internal sealed class TextDeltaChunk
{
    private const int Choices = 6;
    private const int Usage = 7;

    // 0-5 are AnswerFields.ChunkIdentityFields; 1-4 of the delta's are AnswerFields.TextFields.
    private static readonly byte[][] RootNames = Utf8([.. AnswerFields.ChunkIdentityFields, "choices", "usage"]);
    private static readonly byte[][] ChoiceNames = Utf8(["index", "delta", "logprobs", "finish_reason"]);
    private static readonly byte[][] DeltaNames = Utf8(["role", .. AnswerFields.TextFields, "tool_calls", "function_call", "annotations"]);

    private TextDeltaChunk()
    {
    }

    /// <summary>Per <see cref="AnswerFields.ChunkIdentityFields"/>: the value when it is a string.</summary>
    public string?[] IdentityText { get; } = new string?[AnswerFields.ChunkIdentityFields.Length];

    /// <summary>Per <see cref="AnswerFields.ChunkIdentityFields"/>: the value when it is an integer.</summary>
    public long?[] IdentityNumber { get; } = new long?[AnswerFields.ChunkIdentityFields.Length];

    /// <summary>The choice's index (0 when it has none that is an integer, as on the general path).</summary>
    public int Index { get; private set; }

    public bool HasRole { get; private set; }

    /// <summary>Per <see cref="AnswerFields.TextFields"/>: the delta's text, when it is a string.</summary>
    public string?[] Texts { get; } = new string?[AnswerFields.TextFields.Length];

    /// <summary>The chunk, when it has exactly the shape this class handles; null otherwise.</summary>
    public static TextDeltaChunk? TryRead(ReadOnlySpan<byte> json)
    {
        // Text the general path refuses is left to it: bytes that are not UTF-8 here, escapes that
        // are not valid UTF-16 where a string is read (GetString throws) or skipped (SkipChecked).
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            var chunk = new TextDeltaChunk();
            return reader.Read() && chunk.ReadRoot(ref reader) && !reader.Read() ? chunk : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null; // the general path reports it
        }
    }

    /// <summary>
    /// The filtered chunk, as the general path serialises it: the identity fields in their fixed
    /// order (<c>object</c> always <c>chat.completion.chunk</c>), then the one choice.
    /// </summary>
    public byte[] Write(string?[] identityText, string?[] texts, bool blocked)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var wroteObject = false;
            for (var i = 0; i < AnswerFields.ChunkIdentityFields.Length; i++)
            {
                var name = AnswerFields.ChunkIdentityFields[i];
                if (name == "object" && (identityText[i] is not null || IdentityNumber[i] is not null))
                {
                    writer.WriteString(name, "chat.completion.chunk");
                    wroteObject = true;
                }
                else if (identityText[i] is { } text)
                {
                    writer.WriteString(name, text);
                }
                else if (IdentityNumber[i] is { } number)
                {
                    writer.WriteNumber(name, number);
                }
            }

            if (!wroteObject)
            {
                writer.WriteString("object", "chat.completion.chunk");
            }

            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", Index);
            writer.WriteStartObject("delta");
            if (HasRole)
            {
                writer.WriteString("role", "assistant");
            }

            for (var i = 0; i < texts.Length; i++)
            {
                if (texts[i] is { } text)
                {
                    writer.WriteString(AnswerFields.TextFields[i], text);
                }
            }

            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            if (blocked)
            {
                writer.WriteString("finish_reason", "content_filter");
            }
            else
            {
                writer.WriteNull("finish_reason");
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private bool ReadRoot(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var names = new PropertyNames();
        var sawChoices = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = names.Add(ref reader, RootNames);
            reader.Read();
            switch (name)
            {
                case PropertyNames.Repeated:
                    return false;
                case Usage:
                    // OpenAI sends "usage":null on every chunk before the last when usage was
                    // asked for, as the gateway always asks; both paths leave a null out.
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        return false;
                    }

                    break;
                case Choices:
                    if (!ReadChoices(ref reader))
                    {
                        return false;
                    }

                    sawChoices = true;
                    break;
                case >= 0:
                    if (!ReadIdentity(ref reader, name))
                    {
                        return false;
                    }

                    break;
                default:
                    if (!SkipChecked(ref reader)) // a field the general path drops too
                    {
                        return false;
                    }

                    break;
            }
        }

        return sawChoices;
    }

    private bool ReadIdentity(ref Utf8JsonReader reader, int field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                IdentityText[field] = reader.GetString();
                return true;
            case JsonTokenType.Number:
                // The general path writes a number that is not an integer as null: rare, left to it.
                IdentityNumber[field] = reader.TryGetInt64(out var n) ? n : null;
                return IdentityNumber[field] is not null;
            default:
                return SkipChecked(ref reader); // ignored on both paths
        }
    }

    private bool ReadChoices(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        if (!ReadChoice(ref reader))
        {
            return false;
        }

        return reader.Read() && reader.TokenType == JsonTokenType.EndArray;
    }

    private bool ReadChoice(ref Utf8JsonReader reader)
    {
        var names = new PropertyNames();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = names.Add(ref reader, ChoiceNames);
            reader.Read();
            switch (name)
            {
                case PropertyNames.Repeated:
                    return false;
                case 0: // index
                    Index = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var index) && index is >= 0 and <= int.MaxValue ? (int)index : 0;
                    if (!SkipChecked(ref reader))
                    {
                        return false;
                    }

                    break;
                case 1 when reader.TokenType == JsonTokenType.StartObject: // delta
                    if (!ReadDelta(ref reader))
                    {
                        return false;
                    }

                    break;
                case 2 when reader.TokenType == JsonTokenType.StartObject: // logprobs: held until the choice finishes
                case 3 when reader.TokenType != JsonTokenType.Null: // finish_reason: releases what is held
                    return false;
                default:
                    if (!SkipChecked(ref reader))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    private bool ReadDelta(ref Utf8JsonReader reader)
    {
        var names = new PropertyNames();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = names.Add(ref reader, DeltaNames);
            reader.Read();
            switch (name)
            {
                case PropertyNames.Repeated:
                    return false;
                case 0: // role
                    HasRole = true;
                    break;
                case > 0 when name <= Texts.Length && reader.TokenType == JsonTokenType.String:
                    Texts[name - 1] = reader.GetString(); // read, so its escapes are checked: nothing to skip
                    continue;
                case > 0 when reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject:
                    return false; // tool calls, a function call, citations: the general path
            }

            if (!SkipChecked(ref reader))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Past the current value; false when an object inside it repeats a property name, or a string
    /// in it has escapes (which the general path checks for lone surrogates; rare in answers).
    /// </summary>
    private static bool SkipChecked(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return !reader.ValueIsEscaped;
            case JsonTokenType.StartObject:
                var names = new PropertyNames();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueIsEscaped || names.Add(ref reader, []) == PropertyNames.Repeated || !reader.Read() || !SkipChecked(ref reader))
                    {
                        return false;
                    }
                }

                return true;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!SkipChecked(ref reader))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static byte[][] Utf8(string[] names) => [.. names.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>
    /// The property names of one object, to find the ones read and to refuse a repeated one: the
    /// general path refuses such a chunk as bad JSON (<see cref="AnswerFields.Parse"/>),
    /// so it is left to it, to fail there the same way.
    /// </summary>
    private struct PropertyNames
    {
        public const int Repeated = -2;
        private const int Other = -1;

        private uint _known;
        private List<string>? _others;

        /// <summary>The name's position in <paramref name="table"/>, <see cref="Other"/> or <see cref="Repeated"/>.</summary>
        public int Add(ref Utf8JsonReader reader, byte[][] table)
        {
            for (var i = 0; i < table.Length; i++)
            {
                if (reader.ValueTextEquals(table[i]))
                {
                    var bit = 1u << i;
                    if ((_known & bit) != 0)
                    {
                        return Repeated;
                    }

                    _known |= bit;
                    return i;
                }
            }

            var name = reader.GetString()!;
            _others ??= new List<string>(2);
            if (_others.Contains(name, StringComparer.Ordinal))
            {
                return Repeated;
            }

            _others.Add(name);
            return Other;
        }
    }
}
