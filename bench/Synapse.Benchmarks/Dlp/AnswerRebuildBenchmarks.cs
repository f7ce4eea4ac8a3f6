using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Synapse.Benchmarks.Dlp.Baseline;
using Synapse.Binding;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Benchmarks.Dlp;

/// <summary>
/// What the stricter DLP of issue 9 costs per request: a typical answer rebuilt from known fields
/// against the old in-place filter, one streamed chunk likewise, and prompt DLP over a typical
/// bound request (every string plus the concatenation) against the old message-text-only scan —
/// plus the same request with a 1 MB image, whose transport text is now read too.
/// </summary>
[MemoryDiagnoser]
public class AnswerRebuildBenchmarks
{
    private const int Chunks = 64;

    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-9xKc2","object":"chat.completion","created":1764500000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_3aa7262c27",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Saturday looks mild with a little rain and Sunday is dry, so pack a light jacket and comfortable shoes. The Louvre is open on Sunday from nine to six; book a time slot online to skip the queue, and plan a break in the Tuileries afterwards if the weather holds.","refusal":null,
           "tool_calls":[{"id":"call_Qw91Lq","type":"function","function":{"name":"opening_hours","arguments":"{\"venue\":\"Louvre\",\"day\":\"Sunday\"}"}}],"annotations":[]},
           "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":412,"completion_tokens":61,"total_tokens":473,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
         "service_tier":"default"}
        """);

    private static readonly string Request = """
        {"messages":[
          {"role":"system","content":"You are a helpful travel assistant. Answer briefly and use tools when they help."},
          {"role":"user","content":"I am planning a weekend in Paris. What should I pack?"},
          {"role":"assistant","content":"That depends on the weather. Let me check the forecast for you."},
          {"role":"user","content":"Yes please, for Saturday and Sunday."},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Paris\",\"days\":2}"}}]},
          {"role":"tool","tool_call_id":"call_abc123","content":"{\"saturday\":{\"high\":18,\"low\":11,\"rain\":0.2},\"sunday\":{\"high\":21,\"low\":12,\"rain\":0.0}}"},
          {"role":"user","content":"Great, and is the Louvre open on Sunday?"}],
         "tools":[
          {"type":"function","function":{"name":"get_forecast","description":"Daily forecast for a city","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}}},
          {"type":"function","function":{"name":"opening_hours","description":"Opening hours of a venue","parameters":{"type":"object","properties":{"venue":{"type":"string"},"day":{"type":"string"}},"required":["venue","day"]}}}],
         "tool_choice":"auto","temperature":0.3,"max_tokens":512,"user":"user-7f3a"}
        """;

    private static readonly KeyBinding Binding = new("team", "key", "You are a travel assistant.", ["m"], DataClassification.NonSensitive, new KeyLimits(1, 1, 1));

    private DlpScanner _scanner = null!;
    private byte[][] _chunks = null!;
    private JsonObject _request = null!;
    private JsonObject _withImage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scanner = new DlpScanner(DlpPolicy.Default, new DlpScannerOptions { Budget = TimeSpan.FromSeconds(10) });
        var words = "Saturday looks mild with a little rain and Sunday is dry, so pack a light jacket and comfortable shoes for the museums and the long walks along the river".Split(' ');
        _chunks = [.. Enumerable.Range(0, Chunks).Select(i => Encoding.UTF8.GetBytes(
            $$"""{"id":"chatcmpl-9xKc2","object":"chat.completion.chunk","created":1764500000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_3aa7262c27","choices":[{"index":0,"delta":{"content":"{{(i == 0 ? string.Empty : " ") + words[i % words.Length]}}"},"logprobs":null,"finish_reason":null}]}"""))];
        _request = ChatBindingEnforcer.BindChat(JsonNode.Parse(Request)!.AsObject(), Binding, "m").Body;
        var image = new byte[1024 * 1024];
        new Random(7).NextBytes(image);
        image[0] = 0x89;
        var withImage = JsonNode.Parse(Request)!.AsObject();
        withImage["messages"]!.AsArray().Add(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "data:image/png;base64," + Convert.ToBase64String(image) } }),
        });
        _withImage = ChatBindingEnforcer.BindChat(withImage, Binding, "m").Body;
    }

    [Benchmark(Baseline = true)]
    public int Answer_Before() => BeforeResponseDlp.Apply(Answer, _scanner).Body.Length;

    [Benchmark]
    public int Answer_Rebuilt() => ResponseDlp.Apply(Answer, _scanner).Body.Length;

    [Benchmark(OperationsPerInvoke = Chunks)]
    public int StreamChunk_Before()
    {
        var filter = new BeforeStreamingResponseFilter(_scanner);
        var bytes = 0;
        foreach (var chunk in _chunks)
        {
            bytes += filter.Filter(chunk).Sum(c => c.Length);
        }

        return bytes + filter.Complete().Sum(c => c.Length);
    }

    [Benchmark(OperationsPerInvoke = Chunks)]
    public int StreamChunk_Rebuilt()
    {
        var filter = new StreamingResponseFilter(_scanner);
        var bytes = 0;
        foreach (var chunk in _chunks)
        {
            bytes += filter.Filter(chunk).Sum(c => c.Length);
        }

        return bytes + filter.Complete().Sum(c => c.Length);
    }

    [Benchmark]
    public DlpVerdict Prompt_Before() => BeforePromptDlp.Apply(_request.DeepClone().AsObject(), _scanner, skipFirstMessage: true);

    [Benchmark]
    public DlpVerdict Prompt_EveryString() => PromptDlp.Apply(_request.DeepClone().AsObject(), _scanner, skipFirstMessage: true);

    [Benchmark]
    public DlpVerdict PromptWith1MbImage_Before() => BeforePromptDlp.Apply(_withImage.DeepClone().AsObject(), _scanner, skipFirstMessage: true);

    [Benchmark]
    public DlpVerdict PromptWith1MbImage_EveryString() => PromptDlp.Apply(_withImage.DeepClone().AsObject(), _scanner, skipFirstMessage: true);
}
