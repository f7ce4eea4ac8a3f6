using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;
using Synapse.Tests.Fields;
using static Synapse.Tests.ClientApis.ClientApiKeys;

namespace Synapse.Tests.ClientApis;

/// <summary>
/// What the Messages and Responses translations leave out of a client's body is named in
/// <c>x-synapse-dropped-fields</c> and the audit row, field by field: nothing the client sent
/// disappears without a name (annotations and log probabilities on replayed output, the ids and
/// statuses of input items, extra keys of an image source or a tool choice).
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class TranslationDroppedFieldsTests(WireFormatsFixture fixture)
{
    [Fact]
    public async Task ResponsesInput_NamesEveryFieldOfItsItemsThatIsNotForwarded()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        var annotation = new { type = "url_citation", url = "https://example.com/a", title = "A", start_index = 0, end_index = 2 };

        var response = await client.PostAsJsonAsync("/v1/responses", new
        {
            model,
            tools = new[] { new { type = "function", name = "look", parameters = new { type = "object" } } },
            tool_choice = new { type = "function", name = "look", extra = 1 },
            text = new { format = new { type = "json_object", strict = true } },
            input = new object[]
            {
                new { type = "message", role = "user", content = new object[] { new { type = "input_text", text = marker } } },
                new
                {
                    type = "message",
                    id = "msg_1",
                    status = "completed",
                    role = "assistant",
                    content = new object[] { new { type = "output_text", text = "See A.", annotations = new[] { annotation }, logprobs = new[] { new { token = "See", logprob = -0.1 } } } },
                },
                new { type = "function_call", id = "fc_1", status = "completed", call_id = "call_1", name = "look", arguments = "{}" },
                new { type = "function_call_output", id = "fco_1", status = "completed", call_id = "call_1", output = "done" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string[] expected =
        [
            "input[1].id", "input[1].status", "input[1].content[0].annotations", "input[1].content[0].logprobs",
            "input[2].id", "input[2].status", "input[3].id", "input[3].status", "tool_choice.(1 unknown)", "text.format.strict",
        ];
        var named = response.Headers.GetValues(DroppedFields.HeaderName).Single().Split(", ");
        Assert.Equal(expected.Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
        var sent = Sent(provider, marker).ToJsonString();
        Assert.DoesNotContain("url_citation", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("msg_1", sent, StringComparison.Ordinal);
        var row = (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "request");
        var detail = JsonNode.Parse(row["detail"]!.GetValue<string>())!["droppedFields"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Equal(expected.Order(StringComparer.Ordinal), detail.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MessagesBody_NamesTheExtraKeysOfAnImageSourceAndAToolChoice()
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = Marker();
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);

        var response = await client.PostAsJsonAsync("/v1/messages", new
        {
            model,
            max_tokens = 10,
            tools = new[] { new { name = "look", input_schema = new { type = "object" } } },
            tool_choice = new { type = "tool", name = "look", extra = 1 },
            messages = new[]
            {
                new
                {
                    role = "user",
                    content = new object[]
                    {
                        new { type = "text", text = marker },
                        new { type = "image", source = new { type = "base64", media_type = "image/png", data = png, cache_control = new { type = "ephemeral" } } },
                        new { type = "image", source = new { type = "url", url = "https://example.com/a.png", media_type = "image/png" } },
                    },
                },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string[] expected = ["messages[0].content[1].source.cache_control", "messages[0].content[2].source.media_type", "tool_choice.(1 unknown)"];
        var named = response.Headers.GetValues(DroppedFields.HeaderName).Single().Split(", ");
        Assert.Equal(expected.Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
        Assert.Single(provider.BodiesWith(marker));
    }

    private static string Marker() => "m" + Guid.NewGuid().ToString("N");
}
