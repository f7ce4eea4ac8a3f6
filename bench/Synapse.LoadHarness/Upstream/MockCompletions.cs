using System.Collections.Concurrent;
using System.Text.Json;

namespace Synapse.LoadHarness.Upstream;

/// <summary>
/// OpenAI's chat-completions wire format, pre-rendered per model: a <c>chat.completion</c>
/// object, or the <c>chat.completion.chunk</c> events of the same answer. The answers are
/// pre-rendered so the mock costs the same on both measured paths and as little as possible.
/// </summary>
internal sealed class MockCompletions(int completionChars, int streamChunks)
{
    private const string Id = "chatcmpl-bench0000000000000000000000";
    private const long Created = 1_750_000_000;
    private const string Fingerprint = "fp_bench";
    private readonly ConcurrentDictionary<string, byte[]> _completions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[][]> _chunks = new(StringComparer.Ordinal);
    private readonly string _content = Text.Make(completionChars);

    public int PromptTokens { get; } = 250;

    public int CompletionTokens => Math.Max(1, completionChars / 4);

    public byte[] Completion(string model) => _completions.GetOrAdd(model, RenderCompletion);

    /// <summary>Every SSE event of a streamed answer, each one already framed as <c>data: …\n\n</c>.</summary>
    public byte[][] Chunks(string model) => _chunks.GetOrAdd(model, RenderChunks);

    private byte[] RenderCompletion(string model) => Render(w =>
    {
        w.WriteStartObject();
        WriteHeader(w, model, "chat.completion");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", _content);
        w.WriteNull("refusal");
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", "stop");
        w.WriteEndObject();
        w.WriteEndArray();
        WriteUsage(w);
        w.WriteEndObject();
    });

    private byte[][] RenderChunks(string model)
    {
        var events = new List<byte[]> { Event(Chunk(model, w => w.WriteString("role", "assistant"), null)) };
        var size = (int)Math.Ceiling(_content.Length / (double)streamChunks);
        for (var start = 0; start < _content.Length; start += size)
        {
            var piece = _content.Substring(start, Math.Min(size, _content.Length - start));
            events.Add(Event(Chunk(model, w => w.WriteString("content", piece), null)));
        }

        events.Add(Event(Chunk(model, _ => { }, "stop")));
        events.Add(Event(Render(w =>
        {
            w.WriteStartObject();
            WriteHeader(w, model, "chat.completion.chunk");
            w.WriteStartArray("choices");
            w.WriteEndArray();
            WriteUsage(w);
            w.WriteEndObject();
        })));
        events.Add("data: [DONE]\n\n"u8.ToArray());
        return [.. events];
    }

    private static byte[] Chunk(string model, Action<Utf8JsonWriter> delta, string? finishReason) => Render(w =>
    {
        w.WriteStartObject();
        WriteHeader(w, model, "chat.completion.chunk");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finishReason is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finishReason);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void WriteHeader(Utf8JsonWriter w, string model, string type)
    {
        w.WriteString("id", Id);
        w.WriteString("object", type);
        w.WriteNumber("created", Created);
        w.WriteString("model", model);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", Fingerprint);
    }

    private void WriteUsage(Utf8JsonWriter w)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", PromptTokens);
        w.WriteNumber("completion_tokens", CompletionTokens);
        w.WriteNumber("total_tokens", PromptTokens + CompletionTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("accepted_prediction_tokens", 0);
        w.WriteNumber("rejected_prediction_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static byte[] Event(byte[] json) => [.. "data: "u8, .. json, .. "\n\n"u8];

    private static byte[] Render(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.ToArray();
    }
}
