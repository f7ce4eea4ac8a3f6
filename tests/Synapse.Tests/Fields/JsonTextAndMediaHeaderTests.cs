using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Synapse.Tests.Dlp.Corpus;
using static Synapse.Tests.ClientApis.ClientApiKeys;
using static Synapse.Tests.Fields.WireAnswers;

namespace Synapse.Tests.Fields;

/// <summary>
/// Text inside other text, read as its reader reads it: JSON text inside a string (tool-call
/// arguments, Anthropic's <c>tool_use</c> input, a JSON-mode answer), whose <c>\n</c> starts a line
/// for the client; and the header of a <c>data:</c> URL, which reaches the provider as written.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class JsonTextAndMediaHeaderTests(WireFormatsFixture fixture)
{
    [Theory]
    [InlineData("/v1/chat/completions", false, false)]
    [InlineData("/v1/chat/completions", true, false)]
    [InlineData("/v1/chat/completions", false, true)]
    [InlineData("/v1/messages", false, false)]
    [InlineData("/v1/responses", false, false)]
    [InlineData("/v1/responses", true, false)]
    public async Task AKeyOnItsOwnLine_InJsonTheClientParses_NeverReachesIt(string path, bool stream, bool jsonContent)
    {
        var (model, provider) = fixture.ByType["openai"];
        var secret = await CreateAsync(fixture);
        using var client = path == "/v1/messages" ? AnthropicClient(fixture, secret) : fixture.Gateway.ClientFor(secret);
        var marker = "m" + Guid.NewGuid().ToString("N");
        var key = new SyntheticValues(11).Generate("aws");
        var arguments = JsonSerializer.Serialize(new { path = ".env", content = $"# deploy\n{key}\n4111 1111 1111 1111\n" });
        if (stream)
        {
            var delta = $$$"""{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"write_file","arguments":{{{Quote(arguments)}}}}}]}""";
            provider.ScriptStream(marker, OpenAiStream([delta], finish: "tool_calls"));
        }
        else
        {
            var message = jsonContent
                ? $$$"""{"role":"assistant","content":{{{Quote(arguments)}}}}"""
                : $$$"""{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"write_file","arguments":{{{Quote(arguments)}}}}}]}""";
            provider.Script(marker, OpenAi(message, finish: jsonContent ? "\"stop\"" : "\"tool_calls\""));
        }

        object body = path == "/v1/responses"
            ? new { model, stream, input = marker }
            : new { model, stream, max_tokens = 10, messages = new[] { new { role = "user", content = marker } } };
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();

        // A key in an answer is a block: the answer is withheld, each API saying so its own way.
        Assert.Single(provider.BodiesWith(marker));
        Assert.Contains(path == "/v1/messages" ? "\"stop_reason\":\"refusal\"" : "content_filter", text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111 1111 1111", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACardInToolUseInput_WrittenWithJsonEscapes_IsBlockedBeforeTheProvider()
    {
        var (model, provider) = fixture.ByType["anthropic"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = "m" + Guid.NewGuid().ToString("N");
        var body = $$$"""
            {"model":"{{{model}}}","max_tokens":10,"messages":[
              {"role":"user","content":"{{{marker}}} pay"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"pay","input":{"card":"4111\n1111\n1111\n1111"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"done"}]}]}
            """;
        provider.Script(marker, OpenAi("""{"role":"assistant","content":"paid"}"""));

        var response = await client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("credit_card", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(provider.BodiesWith(marker));
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("openai")]
    public async Task AnImagesMediaType_IsReadByPromptDlp(string type)
    {
        var (model, provider) = fixture.ByType[type];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = "m" + Guid.NewGuid().ToString("N");
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);

        var redacted = await client.PostAsJsonAsync("/v1/messages", Image(model, marker, "image/png;name=\"jane.doe@example.com\"", png));
        var blocked = await client.PostAsJsonAsync("/v1/messages", Image(model, marker + "b", "image/png;card=4111111111111111", png));

        Assert.NotEqual(HttpStatusCode.BadRequest, redacted.StatusCode);
        var sent = Assert.Single(provider.BodiesWith(marker));
        Assert.DoesNotContain("jane.doe@example.com", sent, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:EMAIL]", sent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Empty(provider.BodiesWith(marker + "b"));
    }

    private static object Image(string model, string marker, string mediaType, string data) => new
    {
        model,
        max_tokens = 10,
        messages = new[]
        {
            new
            {
                role = "user",
                content = new object[]
                {
                    new { type = "text", text = marker },
                    new { type = "image", source = new { type = "base64", media_type = mediaType, data } },
                },
            },
        },
    };
}
