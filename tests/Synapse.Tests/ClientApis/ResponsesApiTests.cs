using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Binding;
using Synapse.Tests.Fields;
using static Synapse.Tests.ClientApis.ClientApiKeys;

namespace Synapse.Tests.ClientApis;

/// <summary>
/// Issue 14: OpenAI's Responses API (stateless) over real HTTP, translated once into the internal
/// request and back, with every layer of Chat Completions and OpenAI's error shape.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class ResponsesApiTests(WireFormatsFixture fixture)
{
    public static TheoryData<string> Types => [.. WireFormatsFixture.Types];

    [Theory]
    [MemberData(nameof(Types))]
    public async Task StringInput_IsAnsweredAsAResponse_ByEveryProviderType_AndReachesOpenAiCompatibleServersAsChatCompletions(string type)
    {
        var (model, provider) = fixture.ByType[type];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();

        var response = await client.PostAsJsonAsync("/v1/responses", new { model, input = $"{marker} weather?", instructions = "Be brief.", max_output_tokens = 50 });
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("response", answer!["object"]!.GetValue<string>());
        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        Assert.StartsWith("resp_", answer["id"]!.GetValue<string>(), StringComparison.Ordinal);
        var message = answer["output"]!.AsArray().Single()!;
        Assert.Equal("ok", message["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("output_text", message["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(14, answer["usage"]!["total_tokens"]!.GetValue<int>());
        var sent = provider.BodiesWith(marker).Single();
        Assert.Contains(SystemPrompt, sent, StringComparison.Ordinal);
        Assert.Contains(MessageBinder.DemotedLabel("system"), sent, StringComparison.Ordinal);
        if (provider.Format == WireFormat.OpenAi)
        {
            var chat = JsonNode.Parse(sent)!;
            Assert.Equal("system", chat["messages"]![0]!["role"]!.GetValue<string>());
            Assert.NotNull(chat["max_completion_tokens"] ?? chat["max_tokens"]);
        }

        var events = await fixture.Gateway.AuditEventsOfAsync(response);
        Assert.All(events, e => Assert.Equal("responses", e["api"]!.GetValue<string>()));
        Assert.Equal("""{"clientSystemMessages":"demoted"}""", events.Single(e => e["kind"]!.GetValue<string>() == "request")["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task FunctionCalls_RoundTrip_AsToolCallsToTheProvider_AndFunctionCallItemsToTheClient()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        provider.Script(marker, WireAnswers.OpenAi("""{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}""", finish: "\"tool_calls\""));
        var tools = new[] { new { type = "function", name = "get_weather", description = "Weather", parameters = new { type = "object", properties = new { city = new { type = "string" } } }, strict = false } };

        var first = await client.PostAsJsonAsync("/v1/responses", new { model, tools, tool_choice = "required", input = $"{marker} Paris?" });
        var answer = await first.Content.ReadFromJsonAsync<JsonObject>();
        var call = answer!["output"]!.AsArray().Single(i => i!["type"]!.GetValue<string>() == "function_call")!;
        var followUp = await client.PostAsJsonAsync("/v1/responses", new
        {
            model,
            tools,
            input = new object[]
            {
                new { role = "user", content = "Paris?" },
                new { type = "function_call", call_id = call["call_id"]!.GetValue<string>(), name = "get_weather", arguments = call["arguments"]!.GetValue<string>() },
                new { type = "function_call_output", call_id = "call_1", output = $"{marker}-result sunny" },
            },
        });

        Assert.Equal("call_1", call["call_id"]!.GetValue<string>());
        Assert.Equal("get_weather", call["name"]!.GetValue<string>());
        Assert.Equal("{\"city\":\"Paris\"}", call["arguments"]!.GetValue<string>());
        var sentFirst = Sent(provider, marker + " Paris");
        Assert.Equal("get_weather", sentFirst["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("required", sentFirst["tool_choice"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        var messages = Sent(provider, marker + "-result")["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "tool"], messages.Select(m => m!["role"]!.GetValue<string>()).ToArray());
        Assert.Equal("call_1", messages[2]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("call_1", messages[3]!["tool_call_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task StructuredOutput_TextFormat_ReachesTheProviderAsResponseFormat()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();

        var response = await client.PostAsJsonAsync("/v1/responses", new
        {
            model,
            input = marker,
            text = new { format = new { type = "json_schema", name = "weather", strict = true, schema = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } } }, verbosity = "low" },
            reasoning = new { effort = "low", summary = "auto" },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Sent(provider, marker);
        Assert.Equal("json_schema", sent["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("weather", sent["response_format"]!["json_schema"]!["name"]!.GetValue<string>());
        Assert.Equal("string", sent["response_format"]!["json_schema"]!["schema"]!["properties"]!["city"]!["type"]!.GetValue<string>());
        Assert.Equal("low", sent["reasoning_effort"]!.GetValue<string>());
        Assert.Equal("low", sent["verbosity"]!.GetValue<string>());
        Assert.Equal("reasoning.summary", response.Headers.GetValues(DroppedFields.HeaderName).Single());
    }

    [Fact]
    public async Task StatefulAndUngovernableFields_AreRefusedNamingThem_AndOthersDroppedAndNamed()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        (object Body, string Param)[] refused =
        [
            (new { model, input = "hi", previous_response_id = "resp_123" }, "previous_response_id"),
            (new { model, input = "hi", store = true }, "store"),
            (new { model, input = "hi", conversation = "conv_1" }, "conversation"),
            (new { model, input = "hi", tools = new[] { new { type = "web_search" } } }, "tools[0].type"),
            (new { model, input = new object[] { new { type = "item_reference", id = "msg_1" } } }, "input[0]"),
            (new { model, input = "hi", background = true }, "background"),
        ];

        foreach (var (body, param) in refused)
        {
            var response = await client.PostAsJsonAsync("/v1/responses", body);
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal(param, error["param"]!.GetValue<string>());
            Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
            Assert.Equal("responses", (await fixture.Gateway.AuditEventsOfAsync(response)).Single()["api"]!.GetValue<string>());
        }

        var dropped = await client.PostAsJsonAsync("/v1/responses", new { model, input = marker, store = false, metadata = new { a = "b" }, include = new[] { "reasoning.encrypted_content" }, truncation = "auto", some_new_field = 1 });
        Assert.Equal(HttpStatusCode.OK, dropped.StatusCode);
        Assert.Equal("metadata, include, truncation, (1 unknown)", dropped.Headers.GetValues(DroppedFields.HeaderName).Single());
        Assert.Null(Sent(provider, marker)["store"]);
    }

    [Fact]
    public async Task Dlp_BlocksACardInAFunctionOutput_RedactsAnEmailInInstructions_AndFiltersTheAnswer()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        provider.Script(marker + "-card", WireAnswers.Whole(WireFormat.OpenAi, "The card on file is 4111 1111 1111 1111."));

        var blocked = await client.PostAsJsonAsync("/v1/responses", new
        {
            model,
            input = new object[]
            {
                new { role = "user", content = marker },
                new { type = "function_call", call_id = "c1", name = "lookup", arguments = "{}" },
                new { type = "function_call_output", call_id = "c1", output = "card 4111 1111 1111 1111" },
            },
        });
        var redacted = await client.PostAsJsonAsync("/v1/responses", new { model, instructions = "mail bob.smith@corp.example", input = marker + "-mail" });
        var card = await client.PostAsJsonAsync("/v1/responses", new { model, input = marker + "-card" });

        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Equal("dlp_blocked", (await blocked.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(provider.BodiesWith(marker + "\""));
        Assert.Equal(HttpStatusCode.OK, redacted.StatusCode);
        Assert.DoesNotContain("bob.smith", provider.BodiesWith(marker + "-mail").Single(), StringComparison.Ordinal);
        var withheld = await card.Content.ReadFromJsonAsync<JsonObject>();
        Assert.DoesNotContain("4111", withheld!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("incomplete", withheld["status"]!.GetValue<string>());
        Assert.Equal("content_filter", withheld["incomplete_details"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Routing_AndAllowlist_HoldForResponses()
    {
        var cloud = fixture.ByType["openai"];
        var onPrem = fixture.ByType["vllm"];
        using var sensitive = fixture.Gateway.ClientFor(await CreateAsync(fixture, [onPrem.Model], classification: "sensitive"));
        using var flagged = fixture.Gateway.ClientFor(await CreateAsync(fixture, [cloud.Model], dlp: new() { ["email"] = "route_on_prem" }));
        var marker = Marker();

        var onPremAnswer = await sensitive.PostAsJsonAsync("/v1/responses", new { model = onPrem.Model, input = marker + "-onprem" });
        var offList = await sensitive.PostAsJsonAsync("/v1/responses", new { model = cloud.Model, input = marker });
        var flaggedToCloud = await flagged.PostAsJsonAsync("/v1/responses", new { model = cloud.Model, input = marker + " mail bob.smith@corp.example" });

        Assert.Equal(HttpStatusCode.OK, onPremAnswer.StatusCode);
        Assert.Single(onPrem.Provider.BodiesWith(marker + "-onprem"));
        Assert.Equal("model_not_allowed", (await offList.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("no_on_prem_route", (await flaggedToCloud.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(cloud.Provider.BodiesWith(marker));
    }

    [Fact]
    public async Task TextStream_FollowsTheResponsesEventSequence_WithTheFilteredText()
    {
        var (model, provider) = fixture.ByType["anthropic"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        provider.ScriptStream(marker, WireAnswers.Stream(provider.Format, "Write to jane.d", "oe@example.com ", "today."));

        var response = await client.PostAsJsonAsync("/v1/responses", new { model, input = marker, stream = true });
        var events = Events(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = events.Select(e => e.Event).Where(n => n != "response.output_text.delta").ToArray();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"], names);
        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => e.Data["sequence_number"]!.GetValue<int>()));
        var text = string.Concat(events.Where(e => e.Event == "response.output_text.delta").Select(e => e.Data["delta"]!.GetValue<string>()));
        Assert.Equal("Write to [REDACTED:EMAIL] today.", text);
        var completed = events[^1].Data["response"]!;
        Assert.Equal(text, completed["output"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.True(completed["usage"]!["output_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task FunctionCallStream_EmitsArgumentsDeltas_AndTheCompletedResponseListsTheCall()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        provider.ScriptStream(marker, WireAnswers.OpenAiStream(
            [
                """{"tool_calls":[{"index":0,"id":"call_7","type":"function","function":{"name":"get_weather","arguments":""}}]}""",
                """{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}""",
                """{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]}""",
            ],
            finish: "tool_calls"));

        var response = await client.PostAsJsonAsync("/v1/responses", new { model, input = marker, stream = true, tools = new[] { new { type = "function", name = "get_weather", parameters = new { type = "object" } } } });
        var events = Events(await response.Content.ReadAsStringAsync());

        var done = events.Single(e => e.Event == "response.function_call_arguments.done").Data;
        Assert.Equal("{\"city\":\"Oslo\"}", done["arguments"]!.GetValue<string>());
        var item = events.Single(e => e.Event == "response.output_item.done").Data["item"]!;
        Assert.Equal(("function_call", "call_7", "get_weather"), (item["type"]!.GetValue<string>(), item["call_id"]!.GetValue<string>(), item["name"]!.GetValue<string>()));
        Assert.Equal("call_7", events[^1].Data["response"]!["output"]![0]!["call_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CardInAStreamedAnswer_IsWithheld_AndTheResponseEndsIncomplete()
    {
        var (model, provider) = fixture.ByType["gemini"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        provider.ScriptStream(marker, WireAnswers.Stream(provider.Format, "The card on file is 4111 11", "11 1111 1111."));

        var response = await client.PostAsJsonAsync("/v1/responses", new { model, input = marker, stream = true });
        var stream = await response.Content.ReadAsStringAsync();
        var events = Events(stream);

        Assert.DoesNotContain("1111", stream, StringComparison.Ordinal);
        Assert.Equal("response.incomplete", events[^1].Event);
        Assert.Equal("content_filter", events[^1].Data["response"]!["incomplete_details"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ARefusalFromTheBinding_NamesTheClientsOwnItem_WhenInstructionsShiftTheInternalMessages()
    {
        var model = fixture.ByType["openai"].Model;
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var image = new { type = "input_image", image_url = "ftp://example.com/cat.png" };

        var afterInstructions = await client.PostAsJsonAsync("/v1/responses", new
        {
            model,
            instructions = "Be brief.",
            input = new object[]
            {
                new { role = "user", content = "hi" },
                new { type = "function_call", call_id = "c1", name = "look", arguments = "{}" },
                new { type = "function_call", call_id = "c2", name = "look", arguments = "{}" },
                new { type = "function_call_output", call_id = "c1", output = "a" },
                new { type = "function_call_output", call_id = "c2", output = "b" },
                new { role = "user", content = new object[] { new { type = "input_text", text = "and this?" }, image } },
            },
        });
        var noConversation = await client.PostAsJsonAsync("/v1/responses", new { model, instructions = "Be brief.", input = Array.Empty<object>() });

        var error = (await afterInstructions.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal(HttpStatusCode.BadRequest, afterInstructions.StatusCode);
        Assert.Equal("input[5].content[1]", error["param"]!.GetValue<string>());
        Assert.StartsWith("input[5].content[1]", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("messages[", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var empty = (await noConversation.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal(HttpStatusCode.BadRequest, noConversation.StatusCode);
        Assert.Equal("input", empty["param"]!.GetValue<string>());
        Assert.StartsWith("'input' must contain", empty["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static string Marker() => "m" + Guid.NewGuid().ToString("N");
}
