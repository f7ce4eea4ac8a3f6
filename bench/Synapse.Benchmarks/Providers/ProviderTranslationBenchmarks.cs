using System.Text;
using BenchmarkDotNet.Attributes;
using Synapse.Providers.Anthropic;
using Synapse.Grains.Providers;
using Synapse.Providers;
using Synapse.Providers.Gemini;

namespace Synapse.Benchmarks.Providers;

/// <summary>
/// What translation adds to a provider call: request plus response for a typical multi-turn
/// request with a tool (budget 50 µs), and one streamed event to one chunk (budget 5 µs).
/// </summary>
[MemoryDiagnoser]
public class ProviderTranslationBenchmarks
{
    private static readonly byte[] OpenAiRequest = Encoding.UTF8.GetBytes("""
        {
          "model": "model-x",
          "messages": [
            {"role": "system", "content": "You are a helpful travel assistant. Answer briefly and use tools when they help."},
            {"role": "user", "content": "I am planning a weekend in Paris. What should I pack?"},
            {"role": "assistant", "content": "That depends on the weather. Let me check the forecast for you."},
            {"role": "user", "content": "Yes please, for Saturday and Sunday."},
            {"role": "assistant", "content": null, "tool_calls": [
              {"id": "call_abc123", "type": "function", "function": {"name": "get_forecast", "arguments": "{\"city\":\"Paris\",\"days\":2}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_abc123", "content": "{\"saturday\":{\"high\":18,\"low\":11,\"rain\":0.2},\"sunday\":{\"high\":21,\"low\":12,\"rain\":0.0}}"},
            {"role": "user", "content": "Great, and is the Louvre open on Sunday?"}
          ],
          "tools": [
            {"type": "function", "function": {"name": "get_forecast", "description": "Daily forecast for a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}, "required": ["city"]}}},
            {"type": "function", "function": {"name": "opening_hours", "description": "Opening hours of a venue",
              "parameters": {"type": "object", "properties": {"venue": {"type": "string"}, "day": {"type": "string"}}, "required": ["venue", "day"]}}}
          ],
          "tool_choice": "auto",
          "temperature": 0.3,
          "max_tokens": 512
        }
        """);

    private static readonly byte[] AnthropicResponse = Encoding.UTF8.GetBytes("""
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Saturday looks mild with a little rain, Sunday is dry. Let me check the Louvre."},
                    {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"opening_hours","input":{"venue":"Louvre","day":"Sunday"}}],
         "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":412,"output_tokens":61}}
        """);

    private static readonly byte[] GeminiResponse = Encoding.UTF8.GetBytes("""
        {"candidates":[{"content":{"parts":[{"text":"Saturday looks mild with a little rain, Sunday is dry. Let me check the Louvre."},
                                            {"functionCall":{"name":"opening_hours","args":{"venue":"Louvre","day":"Sunday"}}}],"role":"model"},
                        "finishReason":"STOP","index":0}],
         "usageMetadata":{"promptTokenCount":412,"candidatesTokenCount":61,"totalTokenCount":473},
         "modelVersion":"gemini-2.5-flash","responseId":"mM4VaNLzC8mnz7IP3Z6Q8Ao"}
        """);

    private static readonly ReadOnlyMemory<byte> AnthropicTextDelta = Encoding.UTF8.GetBytes(
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" the museum is open from nine"}}""");

    private static readonly ReadOnlyMemory<byte> GeminiTextEvent = Encoding.UTF8.GetBytes(
        """{"candidates": [{"content": {"parts": [{"text": " the museum is open from nine"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 412,"candidatesTokenCount": 12,"totalTokenCount": 424},"modelVersion": "gemini-2.5-flash","responseId": "mM4VaNLzC8mnz7IP3Z6Q8Ao"}""");

    private readonly List<byte[]> _chunks = new(4);
    private AnthropicStreamState _anthropicStream = null!;
    private GeminiStreamState _geminiStream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _anthropicStream = new AnthropicStreamState("claude-sonnet-4-5", 1_700_000_000, includeUsage: true);
        _anthropicStream.Translate(
            Encoding.UTF8.GetBytes("""{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"usage":{"input_tokens":412,"output_tokens":1}}}"""),
            _chunks);
        _geminiStream = new GeminiStreamState("gemini-2.5-flash", "chatcmpl-1", 1_700_000_000, includeUsage: true);
        _geminiStream.Translate(GeminiTextEvent, _chunks);
        _chunks.Clear();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _anthropicStream.Dispose();
        _geminiStream.Dispose();
    }

    [Benchmark]
    public int Anthropic_RequestAndResponse()
    {
        var request = AnthropicRequestTranslator.Translate(OpenAiRequest, "model-x", 4096, stream: false);
        var response = AnthropicResponseTranslator.Translate(AnthropicResponse, "model-x", 1_700_000_000);
        return request.Length + response.Length;
    }

    [Benchmark]
    public int Anthropic_StreamChunk()
    {
        _chunks.Clear();
        _anthropicStream.Translate(AnthropicTextDelta, _chunks);
        return _chunks[0].Length;
    }

    [Benchmark]
    public int Gemini_RequestAndResponse()
    {
        var request = GeminiRequestTranslator.Translate(OpenAiRequest, "model-x", out _, out _);
        var response = GeminiResponseTranslator.Translate(GeminiResponse, "model-x", "chatcmpl-1", 1_700_000_000);
        return request.Length + response.Length;
    }

    [Benchmark]
    public int Gemini_StreamChunk()
    {
        _chunks.Clear();
        _geminiStream.Translate(GeminiTextEvent, _chunks);
        return _chunks[0].Length;
    }

    /// <summary>Azure passes chunks through; this is the check it makes on each.</summary>
    [Benchmark]
    public int AzureOpenAi_StreamChunk()
    {
        _chunks.Clear();
        new OpenAiChunkStream().Translate(new ServerSentEvent(null, AzureChunk), _chunks);
        return _chunks[0].Length;
    }

    private static readonly ReadOnlyMemory<byte> AzureChunk = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-A1","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":" the museum is open from nine"},"finish_reason":null}]}""");
}
