using System.Net;
using System.Text.Json.Nodes;

namespace Synapse.Tests.Fields;

/// <summary>
/// A whole answer from an OpenAI-format provider that is JSON but not a chat completion — no
/// <c>choices</c> array — is withheld as the provider's failure (502 <c>upstream_error</c>, in the
/// client API's shape, audited so), as an embeddings answer that is not a list is. Before, the
/// answer was rebuilt into <c>{"object":"chat.completion","choices":[]}</c> and served with 200.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class NonChatAnswerTests(WireFormatsFixture fixture)
{
    public static TheoryData<string, string> Answers => new()
    {
        { "openai", """{"x":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""" },
        { "vllm", """{"x":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""" },
        { "azure-openai", """{"x":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""" },
        { "openai", """{"id":"chatcmpl-1","object":"chat.completion","model":"m","usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""" },
        { "vllm", """{"id":"chatcmpl-1","object":"chat.completion","choices":null}""" },
        { "openai", """{"object":"chat.completion","choices":{"0":{"index":0,"message":{"role":"assistant","content":"hi"}}}}""" },
        { "openai", """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5]}]}""" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task AnAnswerWithoutChoices_Is502UpstreamError_AndAudited(string type, string answer)
    {
        var (response, text) = await SendAsync(type, "/v1/chat/completions", answer);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal("upstream_error", error["code"]!.GetValue<string>());
        Assert.Equal("The provider's answer was not a chat completion, so it was withheld.", error["message"]!.GetValue<string>());
        Assert.DoesNotContain("chat.completion\"", text, StringComparison.Ordinal);
        var completion = (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "completion");
        Assert.Equal("upstream_error", completion["outcome"]!.GetValue<string>());
        Assert.Equal(502, completion["httpStatus"]!.GetValue<int>());

        // The same provider's chat completion goes through: only the shape failed the answer.
        var (served, servedText) = await SendAsync(type, "/v1/chat/completions", WireAnswers.Whole(WireFormat.OpenAi, "all fine"));
        Assert.True(served.StatusCode == HttpStatusCode.OK, servedText);
        Assert.Equal("all fine", JsonNode.Parse(servedText)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnTheMessagesApi_ItIsAnthropicsApiError()
    {
        var (response, text) = await SendAsync("openai", "/v1/messages", """{"x":"xxxxxxxx"}""");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = JsonNode.Parse(text)!;
        Assert.Equal("error", error["type"]!.GetValue<string>());
        Assert.Equal("api_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Equal("upstream_error", response.Headers.GetValues("x-synapse-error-code").Single());
    }

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(string type, string path, string providerAnswer)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType[type];
        var marker = "n" + Guid.NewGuid().ToString("N");
        provider.Script(marker, providerAnswer);
        object body = path == "/v1/messages"
            ? new { model, max_tokens = 50, messages = new[] { new { role = "user", content = "hello " + marker } } }
            : new { model, messages = new[] { new { role = "user", content = "hello " + marker } } };

        var response = await client.PostScannedAsync(path, body);

        Assert.NotEmpty(provider.BodiesWith(marker));
        return (response, await response.Content.ReadAsStringAsync());
    }
}
