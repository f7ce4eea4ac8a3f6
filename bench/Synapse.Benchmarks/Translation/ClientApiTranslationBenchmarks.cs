using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Synapse.Binding;
using Synapse.Translation;

namespace Synapse.Benchmarks.Translation;

/// <summary>
/// What speaking Messages and Responses adds to a request (issue 14): the client's body into the
/// internal Chat Completions request plus the filtered answer back (budget 50 µs), and one
/// filtered chunk into the client's events (budget 5 µs). The parse of the client's body is the
/// one the gateway does anyway; it is included so the figure is the whole translation.
/// </summary>
[MemoryDiagnoser]
public class ClientApiTranslationBenchmarks
{
    private static readonly byte[] MessagesRequest = Encoding.UTF8.GetBytes("""
        {"model":"model-x","max_tokens":512,"temperature":0.3,
         "system":[{"type":"text","text":"You are a helpful travel assistant. Answer briefly and use tools when they help.","cache_control":{"type":"ephemeral"}}],
         "messages":[
          {"role":"user","content":"I am planning a weekend in Paris. What should I pack?"},
          {"role":"assistant","content":"That depends on the weather. Let me check the forecast for you."},
          {"role":"user","content":"Yes please, for Saturday and Sunday."},
          {"role":"assistant","content":[{"type":"tool_use","id":"toolu_abc123","name":"get_forecast","input":{"city":"Paris","days":2}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_abc123","content":"{\"saturday\":{\"high\":18,\"low\":11,\"rain\":0.2},\"sunday\":{\"high\":21,\"low\":12,\"rain\":0.0}}"},{"type":"text","text":"Great, and is the Louvre open on Sunday?"}]}
         ],
         "tools":[
          {"name":"get_forecast","description":"Daily forecast for a city","input_schema":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}},
          {"name":"opening_hours","description":"Opening hours of a venue","input_schema":{"type":"object","properties":{"venue":{"type":"string"},"day":{"type":"string"}},"required":["venue","day"]}}
         ],
         "tool_choice":{"type":"auto"}}
        """);

    private static readonly byte[] ResponsesRequest = Encoding.UTF8.GetBytes("""
        {"model":"model-x","max_output_tokens":512,"temperature":0.3,
         "instructions":"You are a helpful travel assistant. Answer briefly and use tools when they help.",
         "input":[
          {"role":"user","content":"I am planning a weekend in Paris. What should I pack?"},
          {"role":"assistant","content":[{"type":"output_text","text":"That depends on the weather. Let me check the forecast for you."}]},
          {"role":"user","content":[{"type":"input_text","text":"Yes please, for Saturday and Sunday."}]},
          {"type":"function_call","call_id":"call_abc123","name":"get_forecast","arguments":"{\"city\":\"Paris\",\"days\":2}"},
          {"type":"function_call_output","call_id":"call_abc123","output":"{\"saturday\":{\"high\":18,\"low\":11,\"rain\":0.2},\"sunday\":{\"high\":21,\"low\":12,\"rain\":0.0}}"},
          {"role":"user","content":"Great, and is the Louvre open on Sunday?"}
         ],
         "tools":[
          {"type":"function","name":"get_forecast","description":"Daily forecast for a city","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}},
          {"type":"function","name":"opening_hours","description":"Opening hours of a venue","parameters":{"type":"object","properties":{"venue":{"type":"string"},"day":{"type":"string"}},"required":["venue","day"]}}
         ],
         "tool_choice":"auto","text":{"format":{"type":"text"}}}
        """);

    private static readonly byte[] ChatAnswer = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-1","object":"chat.completion","created":1764500000,"model":"model-x",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Saturday looks mild with a little rain, Sunday is dry. Let me check the Louvre.",
          "tool_calls":[{"id":"call_def456","type":"function","function":{"name":"opening_hours","arguments":"{\"venue\":\"Louvre\",\"day\":\"Sunday\"}"}}]},
          "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":412,"completion_tokens":61,"total_tokens":473}}
        """);

    private static readonly byte[] TextChunk = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764500000,"model":"model-x","choices":[{"index":0,"delta":{"content":" Sunday is dry."},"logprobs":null,"finish_reason":null}]}
        """);

    private readonly ArrayBufferWriter<byte> _events = new(4096);
    private SseEventWriter _writer = null!;
    private MessagesStreamTranslator _messagesStream = null!;
    private ResponsesStreamTranslator _responsesStream = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new SseEventWriter(_events);
        _messagesStream = new MessagesStreamTranslator("msg_1", "model-x");
        _responsesStream = new ResponsesStreamTranslator("resp_1", 1764500000);

        // The first chunk opens the message and its text block; the measured ones are deltas.
        _messagesStream.Chunk(TextChunk, _writer);
        _responsesStream.Chunk(TextChunk, _writer);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark]
    public int Messages_RequestAndAnswer()
    {
        var translated = MessagesRequestTranslator.Translate(RequestJson.ParseElement(MessagesRequest));
        var internalBody = translated.Chat.ToJsonString();
        return internalBody.Length + MessagesAnswerTranslator.Translate(ChatAnswer, "msg_1").Length;
    }

    [Benchmark]
    public int Responses_RequestAndAnswer()
    {
        var translated = ResponsesRequestTranslator.Translate(RequestJson.ParseElement(ResponsesRequest));
        var internalBody = translated.Chat.ToJsonString();
        return internalBody.Length + ResponsesAnswerTranslator.Translate(ChatAnswer, "resp_1", 1764500000).Length;
    }

    [Benchmark]
    public int Messages_StreamChunk()
    {
        _events.ResetWrittenCount();
        _messagesStream.Chunk(TextChunk, _writer);
        return _events.WrittenCount;
    }

    [Benchmark]
    public int Responses_StreamChunk()
    {
        _events.ResetWrittenCount();
        _responsesStream.Chunk(TextChunk, _writer);
        return _events.WrittenCount;
    }
}
