using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers.AzureOpenAi;

namespace Synapse.Providers.Gemini;

/// <summary>
/// Turns the events of <c>streamGenerateContent?alt=sse</c> into OpenAI chat-completion chunks.
/// Each event is a whole <c>GenerateContentResponse</c> holding the next piece of every candidate;
/// function calls arrive whole, so each becomes one tool-call delta with all its arguments.
/// </summary>
internal static class GeminiStreamTranslator
{
    /// <summary>
    /// Translates one event (a <c>GenerateContentResponse</c>) into chunks added to <paramref name="chunks"/>.
    /// Returns the failure that ends the stream (an error object), else null.
    /// </summary>
    public static ProviderFailure? Translate(JsonElement response, GeminiStreamState state, List<byte[]> chunks)
    {
        if (response.TryGetProperty("error"u8, out _))
        {
            return TranslatedStreamState.InStream(GeminiResponseTranslator.ErrorStatus(response), rateLimitedType: "RESOURCE_EXHAUSTED", timeoutType: "DEADLINE_EXCEEDED");
        }

        if (!state.Started)
        {
            state.Started = true;
            if (response.TryGetProperty("responseId"u8, out var id) && id.ValueKind == JsonValueKind.String)
            {
                state.Id = id.GetString()!;
            }

            if (response.TryGetProperty("modelVersion"u8, out var model) && model.ValueKind == JsonValueKind.String)
            {
                state.Model = model.GetString()!;
            }
        }

        if (response.TryGetProperty("usageMetadata"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            // Every event repeats the usage so far; the last one is the total.
            (state.PromptTokens, state.CompletionTokens, state.CachedTokens) = GeminiResponseTranslator.Usage(usage);
        }

        var position = 0;
        if (response.TryGetProperty("candidates"u8, out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in candidates.EnumerateArray())
            {
                Candidate(candidate, position++, state, chunks);
            }
        }

        if (position == 0 && response.TryGetProperty("promptFeedback"u8, out var feedback)
            && feedback.TryGetProperty("blockReason"u8, out _))
        {
            var blocked = state.Candidate(0);
            if (!blocked.Finished)
            {
                WriteFinishChunk(state, 0, blocked, OpenAiWire.ContentFilterReason, chunks);
            }
        }

        return null;
    }

    private static void Candidate(JsonElement candidate, int position, GeminiStreamState state, List<byte[]> chunks)
    {
        var index = candidate.TryGetProperty("index"u8, out var indexElement) && indexElement.TryGetInt32(out var given) ? given : position;
        var candidateState = state.Candidate(index);
        var parts = candidate.TryGetProperty("content"u8, out var content) && content.ValueKind == JsonValueKind.Object
            && content.TryGetProperty("parts"u8, out var partsElement) && partsElement.ValueKind == JsonValueKind.Array
                ? partsElement
                : default;
        var texts = 0;
        var calls = 0;
        JsonElement firstText = default;
        if (parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (part.ValueKind != JsonValueKind.Object || GeminiResponseTranslator.IsThought(part))
                {
                    continue;
                }

                if (part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String && !text.ValueEquals(""u8))
                {
                    if (texts++ == 0)
                    {
                        firstText = text;
                    }
                }
                else if (part.TryGetProperty("functionCall"u8, out var call) && call.ValueKind == JsonValueKind.Object)
                {
                    calls++;
                }
            }
        }

        if (texts > 0 || calls > 0)
        {
            var writer = state.StartDeltaChunk(index);
            WriteRole(writer, candidateState);
            if (texts == 1)
            {
                writer.WritePropertyName("content"u8);
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(firstText), skipInputValidation: true);
            }
            else if (texts > 1)
            {
                writer.WriteString("content"u8, JoinTexts(parts));
            }

            if (calls > 0)
            {
                writer.WriteStartArray("tool_calls"u8);
                foreach (var part in parts.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && !GeminiResponseTranslator.IsThought(part)
                        && part.TryGetProperty("functionCall"u8, out var call) && call.ValueKind == JsonValueKind.Object)
                    {
                        GeminiResponseTranslator.WriteToolCall(writer, part, call, candidateState.ToolCalls++);
                    }
                }

                writer.WriteEndArray();
            }

            state.EndDeltaChunk(null, chunks);
        }

        if (candidate.TryGetProperty("finishReason"u8, out var reason) && reason.ValueKind == JsonValueKind.String && !candidateState.Finished)
        {
            var finish = GeminiResponseTranslator.FinishReason(reason.GetString(), candidateState.ToolCalls > 0);
            WriteFinishChunk(state, index, candidateState, finish, chunks);
        }
    }

    private static void WriteFinishChunk(GeminiStreamState state, int index, GeminiCandidateState candidate, string finishReason, List<byte[]> chunks)
    {
        WriteRole(state.StartDeltaChunk(index), candidate);
        state.EndDeltaChunk(finishReason, chunks);
        candidate.Finished = true;
    }

    private static void WriteRole(Utf8JsonWriter writer, GeminiCandidateState candidate)
    {
        if (!candidate.RoleSent)
        {
            writer.WriteString("role"u8, "assistant"u8);
            candidate.RoleSent = true;
        }
    }

    private static string JoinTexts(JsonElement parts)
    {
        var joined = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && !GeminiResponseTranslator.IsThought(part)
                && part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String)
            {
                joined.Append(text.GetString());
            }
        }

        return joined.ToString();
    }
}
