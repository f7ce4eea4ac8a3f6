using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Translation;
using static Synapse.Tests.ClientApis.ClientApiKeys;

namespace Synapse.Tests.ClientApis;

/// <summary>The Responses event sequence built from filtered chat chunks, without a gateway: parts, refusals, numbering.</summary>
public sealed class ResponsesStreamTranslatorTests
{
    [Fact]
    public void TextThenARefusal_AreTwoPartsOfOneMessage_EachWithItsOwnEvents()
    {
        var events = Translate(
            """{"model":"m-1","choices":[{"index":0,"delta":{"content":"Let me see. "}}]}""",
            """{"model":"m-1","choices":[{"index":0,"delta":{"refusal":"I can't "}}]}""",
            """{"model":"m-1","choices":[{"index":0,"delta":{"refusal":"help with that."},"finish_reason":"stop"}]}""");

        Assert.Equal(
            [
                "response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.content_part.added", "response.refusal.delta", "response.refusal.delta", "response.refusal.done", "response.content_part.done",
                "response.output_item.done", "response.completed",
            ],
            events.Select(e => e.Event).ToArray());
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
        var refusalDeltas = events.Where(e => e.Event == "response.refusal.delta").Select(e => e.Data).ToArray();
        Assert.All(refusalDeltas, d => Assert.Equal(1, d["content_index"]!.GetValue<int>()));
        Assert.Equal("I can't help with that.", events.Single(e => e.Event == "response.refusal.done").Data["refusal"]!.GetValue<string>());
        var content = events[^1].Data["response"]!["output"]![0]!["content"]!.AsArray();
        Assert.Equal(("output_text", "Let me see. "), (content[0]!["type"]!.GetValue<string>(), content[0]!["text"]!.GetValue<string>()));
        Assert.Equal(("refusal", "I can't help with that."), (content[1]!["type"]!.GetValue<string>(), content[1]!["refusal"]!.GetValue<string>()));
        Assert.Equal("completed", events[^1].Data["response"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void ARefusalReleasedAfterAFunctionCallBegan_FollowsItAsAMessageOfItsOwn()
    {
        var events = Translate(
            """{"model":"m-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"look","arguments":"{}"}}]}}]}""",
            """{"model":"m-1","choices":[{"index":0,"delta":{"refusal":"No."},"finish_reason":"tool_calls"}]}""");

        var output = events[^1].Data["response"]!["output"]!.AsArray();
        Assert.Equal(["function_call", "message"], output.Select(i => i!["type"]!.GetValue<string>()).ToArray());
        Assert.Equal("refusal", output[1]!["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(1, events.Single(e => e.Event == "response.refusal.delta").Data["output_index"]!.GetValue<int>());
    }

    private static List<(string Event, JsonObject Data)> Translate(params string[] chunks)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var translator = new ResponsesStreamTranslator("resp_abc", 1764500000);
        using (var events = new SseEventWriter(buffer))
        {
            foreach (var chunk in chunks)
            {
                translator.Chunk(Encoding.UTF8.GetBytes(chunk), events);
            }

            translator.Finish(events);
        }

        return Events(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
