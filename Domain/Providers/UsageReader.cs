using System.Text.Json;

namespace Synapse.Providers;

/// <summary>Reads the <c>usage</c> object of an OpenAI response or chunk without building a DOM.</summary>
public static class UsageReader
{
    /// <summary>A cheap pre-check so that ordinary chunks are not parsed at all.</summary>
    public static bool MayCarryUsage(ReadOnlySpan<byte> json) => json.IndexOf("\"usage\""u8) >= 0;

    /// <summary>The final chunk of a stream that carries only usage (<c>"choices":[]</c>).</summary>
    public static bool IsUsageOnlyChunk(ReadOnlySpan<byte> json)
    {
        if (!MayCarryUsage(json))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            return SeekTopLevelProperty(ref reader, "choices"u8)
                && reader.Read() && reader.TokenType == JsonTokenType.StartArray
                && reader.Read() && reader.TokenType == JsonTokenType.EndArray;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static TokenUsage Read(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (SeekTopLevelProperty(ref reader, "usage"u8))
            {
                return ReadUsageObject(ref reader);
            }
        }
        catch (JsonException)
        {
            // A provider's malformed body is passed on as it is; it just has no usage to count.
        }

        return default;
    }

    /// <summary>Moves the reader to the named property of the root object; false when there is none.</summary>
    private static bool SeekTopLevelProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        var depth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    depth--;
                    break;
                case JsonTokenType.PropertyName when depth == 1 && reader.ValueTextEquals(name):
                    return true;
            }
        }

        return false;
    }

    private static TokenUsage ReadUsageObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        int prompt = 0, completion = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            var isPrompt = reader.ValueTextEquals("prompt_tokens"u8);
            var isCompletion = reader.ValueTextEquals("completion_tokens"u8);
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && (isPrompt || isCompletion))
            {
                // A count is what the provider claims, held to what a count can be: a negative one
                // reads as unknown (0) — the audit log refuses negative counts, and the request's
                // completion row was lost — and one past int's range as int's largest.
                // (A double's precision is enough: past 2^53 the count is clamped anyway.)
                var value = reader.TryGetDouble(out var count) ? (int)Math.Clamp(Math.Floor(count), 0, int.MaxValue) : 0;
                if (isPrompt)
                {
                    prompt = value;
                }
                else
                {
                    completion = value;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new TokenUsage(prompt, completion);
    }
}
