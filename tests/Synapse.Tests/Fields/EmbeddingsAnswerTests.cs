using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;

namespace Synapse.Tests.Fields;

/// <summary>
/// Every text a client reads goes through DLP: an embeddings answer carries none of the
/// provider's, since the client receives it rebuilt from its vectors, indexes and token counts.
/// Before, the provider's body was passed on as it came, extensions and echoes included. The
/// vectors come in the encoding the client asked for, whatever the provider sent: Ollama ignores
/// <c>encoding_format</c>, and the OpenAI Node SDK, which asks for base64 by default, read its
/// float array as base64 — garbage vectors, no error.
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
    public async Task Base64Vectors_PassUnchanged_ToAClientThatAskedForBase64()
    {
        var (response, text) = await SendAsync("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":"zczMPQAAgD8="}]}""", "base64");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("zczMPQAAgD8=", JsonNode.Parse(text)!["data"]![0]!["embedding"]!.GetValue<string>());
    }

    /// <summary>What Ollama (the default provider) does: <c>encoding_format</c> is forwarded and ignored.</summary>
    [Theory]
    [InlineData("openai")]
    [InlineData("vllm")]
    [InlineData("azure-openai")]
    public async Task FloatsFromTheProvider_ReachAClientThatAskedForBase64_AsLittleEndianFloat32(string type)
    {
        var (response, text) = await SendAsync("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-2.5,3e-8,0]},{"object":"embedding","index":1,"embedding":[1]}]}""", "base64", type);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = JsonNode.Parse(text)!["data"]!.AsArray();
        Assert.Equal([0.1f, -2.5f, 3e-8f, 0f], AsTheNodeSdkReadsIt(data[0]!["embedding"]!));
        Assert.Equal([1f], AsTheNodeSdkReadsIt(data[1]!["embedding"]!));
        var sent = JsonNode.Parse(fixture.ByType[type].Provider.BodiesWith(_lastMarker!).Single())!;
        Assert.Equal("base64", sent["encoding_format"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("float")]
    public async Task Base64FromTheProvider_ReachesAClientThatAskedForFloats_AsNumbers(string? encodingFormat)
    {
        var (response, text) = await SendAsync($$"""{"object":"list","data":[{"object":"embedding","index":0,"embedding":"{{Base64Of(0.25f, -1.5f, 0.1f)}}"}]}""", encodingFormat);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var vector = JsonNode.Parse(text)!["data"]![0]!["embedding"]!.AsArray();
        Assert.Equal([0.25f, -1.5f, 0.1f], vector.Select(n => n!.GetValue<float>()));
        Assert.Equal("[0.25,-1.5,0.1]", vector.ToJsonString());
    }

    /// <summary>Gemini has no base64: its numbers are encoded by the gateway, as any provider's are.</summary>
    [Fact]
    public async Task GeminiVectors_ReachAClientThatAskedForBase64_AsLittleEndianFloat32()
    {
        var (response, text) = await SendAsync("""{"embeddings":[{"values":[0.5,-0.125]}]}""", "base64", "gemini");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0.5f, -0.125f], AsTheNodeSdkReadsIt(JsonNode.Parse(text)!["data"]![0]!["embedding"]!));
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

    [Theory]
    [InlineData("hex")]
    [InlineData("FLOAT")]
    public async Task AnEncodingFormatOtherThanFloatOrBase64_IsA400_NotForwarded(string format)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["openai"];
        var marker = "e" + Guid.NewGuid().ToString("N");

        var response = await client.PostScannedAsync("/v1/embeddings", new JsonObject { ["model"] = model, ["input"] = "hello " + marker, ["encoding_format"] = format });
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("encoding_format", error["param"]!.GetValue<string>());
        Assert.Empty(provider.BodiesWith(marker));
    }

    private string? _lastMarker;

    private async Task<(HttpResponseMessage Response, string Text)> SendAsync(string providerAnswer, string? encodingFormat = null, string type = "openai")
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType[type];
        var marker = _lastMarker = "e" + Guid.NewGuid().ToString("N");
        provider.Script(marker, providerAnswer);
        var request = new JsonObject { ["model"] = model, ["input"] = new JsonArray("hello " + marker) };
        if (encodingFormat is not null)
        {
            request["encoding_format"] = encodingFormat;
        }

        var response = await client.PostScannedAsync("/v1/embeddings", request);

        Assert.NotEmpty(provider.BodiesWith(marker));
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What the OpenAI Node SDK does with a base64 embedding: <c>new Float32Array(Buffer.from(b64, "base64").buffer)</c>, little-endian.</summary>
    private static float[] AsTheNodeSdkReadsIt(JsonNode embedding)
    {
        var bytes = Convert.FromBase64String(embedding.GetValue<string>());
        Assert.Equal(0, bytes.Length % sizeof(float));
        return [.. Enumerable.Range(0, bytes.Length / sizeof(float)).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float))))];
    }

    private static string Base64Of(params float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return Convert.ToBase64String(bytes);
    }
}
