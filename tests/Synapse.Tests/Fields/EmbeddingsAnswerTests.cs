using System.Net;
using System.Text.Json.Nodes;

namespace Synapse.Tests.Fields;

/// <summary>
/// Every text a client reads goes through DLP: an embeddings answer carries none of the
/// provider's, since the client receives it rebuilt from its vectors, indexes and token counts.
/// Before, the provider's body was passed on as it came, extensions and echoes included.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class EmbeddingsAnswerTests(WireFormatsFixture fixture)
{
    private const string Card = "4111111111111111";

    [Fact]
    public async Task ProviderText_InAnEmbeddingsAnswer_NeverReachesTheClient_AndTheVectorsDo()
    {
        var (response, text) = await SendAsync($$$"""
            {"object":"list","model":"m-1 {{{Card}}}","note":"card {{{Card}}}",
             "data":[{"object":"embedding","index":1,"embedding":[0.25,-1.5e-3],"input":"card {{{Card}}}"},
                     {"object":"embedding","index":0,"embedding":[1,2],"debug":{"text":"{{{Card}}}"}}],
             "usage":{"prompt_tokens":4,"total_tokens":4,"echo":"{{{Card}}}"}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Card, text, StringComparison.Ordinal);
        var answer = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("list", answer["object"]!.GetValue<string>());
        Assert.Equal(fixture.ByType["openai"].Model, answer["model"]!.GetValue<string>());
        var data = answer["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"object":"embedding","index":1,"embedding":[0.25,-1.5e-3]}"""), data[0]), data[0]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"object":"embedding","index":0,"embedding":[1,2]}"""), data[1]), data[1]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"prompt_tokens":4,"total_tokens":4}"""), answer["usage"]));
    }

    [Fact]
    public async Task Base64Vectors_PassUnchanged()
    {
        var (response, text) = await SendAsync("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":"zczMPQAAgD8="}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("zczMPQAAgD8=", JsonNode.Parse(text)!["data"]![0]!["embedding"]!.GetValue<string>());
    }

    [Theory]
    [InlineData($$$"""{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"card {{{Card}}}"}}]}""")]
    [InlineData($$$"""{"object":"list","data":[{"object":"embedding","index":0,"embedding":"card {{{Card}}}"}]}""")]
    [InlineData($$$"""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,"{{{Card}}}"]}]}""")]
    [InlineData($$$"""{"object":"list","data":["{{{Card}}}"]}""")]
    public async Task AnAnswerThatIsNotAnEmbeddingsList_IsWithheld(string answer)
    {
        var (response, text) = await SendAsync(answer);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_error", JsonNode.Parse(text)!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(Card, text, StringComparison.Ordinal);
    }

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(string providerAnswer)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["openai"];
        var marker = "e" + Guid.NewGuid().ToString("N");
        provider.Script(marker, providerAnswer);

        var response = await client.PostScannedAsync("/v1/embeddings", new { model, input = new[] { "hello " + marker } });

        Assert.NotEmpty(provider.BodiesWith(marker));
        return (response, await response.Content.ReadAsStringAsync());
    }
}
