using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Fields;
using static Synapse.Tests.ClientApis.ClientApiKeys;

namespace Synapse.Tests.ClientApis;

/// <summary>
/// Issue 14: Messages streams in Anthropic's event sequence, built from the filtered internal
/// stream, so response DLP's hold-back applies to every text event.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class MessagesStreamTests(WireFormatsFixture fixture)
{
    public static TheoryData<string> Types => [.. WireFormatsFixture.Types];

    [Theory]
    [MemberData(nameof(Types))]
    public async Task TextStream_FollowsAnthropicsEventSequence_FromEveryProviderType(string type)
    {
        var (model, provider) = fixture.ByType[type];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = "m" + Guid.NewGuid().ToString("N");
        provider.ScriptStream(marker, WireAnswers.Stream(provider.Format, "Hel", "lo"));

        var (response, events) = await StreamAsync(client, new { model, max_tokens = 50, stream = true, messages = new[] { new { role = "user", content = marker } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var names = events.Select(e => e.Event).Where(n => n != "content_block_delta").ToArray();
        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_stop", "message_delta", "message_stop"], names);
        Assert.All(events, e => Assert.Equal(e.Event, e.Data["type"]!.GetValue<string>()));
        Assert.Equal("Hello", Text(events));
        var delta = events.Single(e => e.Event == "message_delta").Data;
        Assert.Equal("end_turn", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.True(delta["usage"]!["output_tokens"]!.GetValue<int>() > 0);
        Assert.Equal("messages", (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "completion")["api"]!.GetValue<string>());
    }

    [Fact]
    public async Task ToolCallStream_BecomesAToolUseBlock_WithInputJsonDeltas()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = "m" + Guid.NewGuid().ToString("N");
        provider.ScriptStream(marker, WireAnswers.OpenAiStream(
            [
                """{"content":"Let me check."}""",
                """{"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"get_weather","arguments":""}}]}""",
                """{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}""",
                """{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}""",
            ],
            finish: "tool_calls"));

        var (_, events) = await StreamAsync(client, new
        {
            model,
            max_tokens = 50,
            stream = true,
            tools = new[] { new { name = "get_weather", input_schema = new { type = "object" } } },
            messages = new[] { new { role = "user", content = marker } },
        });

        // Blocks are numbered in order, never interleaved; the hold-back may release part of the
        // text after the tool call began, which then follows it as its own block.
        var starts = events.Where(e => e.Event == "content_block_start").Select(e => e.Data).ToArray();
        Assert.Equal(Enumerable.Range(0, starts.Length), starts.Select(s => s["index"]!.GetValue<int>()));
        var toolUse = Assert.Single(starts, s => s["content_block"]!["type"]!.GetValue<string>() == "tool_use");
        Assert.Equal("call_9", toolUse["content_block"]!["id"]!.GetValue<string>());
        Assert.Equal("Let me check.", Text(events));
        var json = string.Concat(events.Where(e => e.Data["delta"]?["type"]?.GetValue<string>() == "input_json_delta").Select(e => e.Data["delta"]!["partial_json"]!.GetValue<string>()));
        Assert.Equal("Paris", JsonNode.Parse(json)!["city"]!.GetValue<string>());
        Assert.Equal(starts.Length, events.Count(e => e.Event == "content_block_stop"));
        Assert.Equal("tool_use", events.Single(e => e.Event == "message_delta").Data["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamedAnswer_NeverLeaksAnEmailOrACardSplitAcrossEvents()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = "m" + Guid.NewGuid().ToString("N");
        provider.ScriptStream(marker + "-leak", WireAnswers.Stream(WireFormat.OpenAi, "Sure, write to jane.d", "oe@exam", "ple.com today."));
        provider.ScriptStream(marker + "-card", WireAnswers.Stream(WireFormat.OpenAi, "The card on file is 4111 11", "11 1111 1111."));

        var (_, leak) = await StreamAsync(client, new { model, max_tokens = 50, stream = true, messages = new[] { new { role = "user", content = marker + "-leak" } } });
        var (cardResponse, card) = await StreamAsync(client, new { model, max_tokens = 50, stream = true, messages = new[] { new { role = "user", content = marker + "-card" } } });

        Assert.Equal("Sure, write to [REDACTED:EMAIL] today.", Text(leak));
        var cardText = Text(card);
        Assert.DoesNotContain("4111", cardText, StringComparison.Ordinal);
        Assert.DoesNotContain("1111", string.Concat(card.Select(e => e.Data.ToJsonString())), StringComparison.Ordinal);
        Assert.Equal("refusal", card.Single(e => e.Event == "message_delta").Data["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal("message_stop", card[^1].Event);
        var completion = (await fixture.Gateway.AuditEventsOfAsync(cardResponse)).Single(e => e["kind"]!.GetValue<string>() == "completion");
        Assert.Equal("response_filtered", completion["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task RefusedStream_GetsAProperStatusAndAnthropicsErrorBody_NotAnEventStream()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = "m" + Guid.NewGuid().ToString("N");

        var response = await client.PostAsJsonAsync("/v1/messages", new { model, max_tokens = 50, stream = true, messages = new[] { new { role = "user", content = $"{marker} card 4111 1111 1111 1111" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("invalid_request_error", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["type"]!.GetValue<string>());
        Assert.Empty(provider.BodiesWith(marker));
    }

    [Fact]
    public async Task ProviderFailingMidStream_EndsWithAnthropicsErrorEvent_AndNoMessageStop()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = "m" + Guid.NewGuid().ToString("N");
        var chunks = WireAnswers.Stream(WireFormat.OpenAi, "Hello there, this is long enough to pass the hold-back window of the filter for sure.");
        provider.ScriptStream(marker, chunks[0], chunks[1], "data: {not json\n\n");

        var (response, events) = await StreamAsync(client, new { model, max_tokens = 50, stream = true, messages = new[] { new { role = "user", content = marker } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("error", events[^1].Event);
        Assert.Equal("api_error", events[^1].Data["error"]!["type"]!.GetValue<string>());
        Assert.DoesNotContain(events, e => e.Event == "message_stop");
    }

    private static async Task<(HttpResponseMessage Response, List<(string Event, JsonObject Data)> Events)> StreamAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/v1/messages", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (response, Events(text));
    }

    private static string Text(List<(string Event, JsonObject Data)> events)
    {
        var text = new StringBuilder();
        foreach (var (_, data) in events)
        {
            if (data["delta"]?["type"]?.GetValue<string>() == "text_delta")
            {
                text.Append(data["delta"]!["text"]!.GetValue<string>());
            }
        }

        return text.ToString();
    }
}
