using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// Azure OpenAI's deployments API, on Azure's wire format over real HTTP: the deployment in the path
/// is the model (whatever the body names), the key comes in <c>api-key</c>, and the request takes the
/// <c>/v1</c> path — binding, DLP, limits, audit — unchanged.
/// </summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class AzureDeploymentsTests(GatewayFixture fixture)
{
    private const string ApiVersion = "api-version=2024-10-21";

    private GatewayHost Gateway => fixture.Gateway;

    [Theory]
    [InlineData(null)]
    [InlineData(GatewayFixture.OnPremModel)]
    [InlineData(GatewayFixture.OnPremModel2)] // on the key's list, but the path names another
    public async Task AChatCompletion_GoesToTheDeploymentsModel_WhateverTheBodyNames(string? bodyModel)
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel, GatewayFixture.OnPremModel2]);
        var marker = "azure-" + Guid.NewGuid().ToString("N");
        var body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = marker }) };
        if (bodyModel is not null)
        {
            body["model"] = bodyModel;
        }

        var response = await PostAsync(secret, $"/openai/deployments/{GatewayFixture.OnPremModel}/chat/completions?{ApiVersion}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("echo: " + marker, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(GatewayFixture.OnPremModel, Assert.Single(fixture.Upstream.RequestsFor(marker)).Json["model"]!.GetValue<string>());
        var audited = await Gateway.AuditEventsOfAsync(response);
        Assert.Contains(audited, e => e["kind"]!.GetValue<string>() == "completion" && e["model"]!.GetValue<string>() == GatewayFixture.OnPremModel);
    }

    [Fact]
    public async Task AStream_AndEmbeddings_Work_ThroughTheirDeployments()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel, GatewayFixture.EmbeddingModel]);

        var stream = await PostAsync(secret, $"/openai/deployments/{GatewayFixture.OnPremModel}/chat/completions?{ApiVersion}", new JsonObject
        {
            ["stream"] = true,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "stream it" }),
        });
        var embeddings = await PostAsync(secret, $"/openai/deployments/{GatewayFixture.EmbeddingModel}/embeddings?{ApiVersion}", new JsonObject { ["input"] = "vectorise me" });

        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("data: [DONE]\n\n", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, embeddings.StatusCode);
        Assert.Equal(3, JsonNode.Parse(await embeddings.Content.ReadAsStringAsync())!["data"]![0]!["embedding"]!.AsArray().Count);
    }

    [Fact]
    public async Task ADeploymentOffTheAllowlist_IsRefused_AndAuditedWithItsName()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);

        var response = await PostAsync(secret, $"/openai/deployments/{GatewayFixture.CloudModel}/chat/completions?{ApiVersion}", new JsonObject
        {
            ["model"] = GatewayFixture.OnPremModel,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("model_not_allowed", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        var audited = Assert.Single(await Gateway.AuditEventsOfAsync(response));
        Assert.Equal(GatewayFixture.CloudModel, audited["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task AWrongKey_OrTwoKeys_Get401()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        var path = $"/openai/deployments/{GatewayFixture.OnPremModel}/chat/completions?{ApiVersion}";
        var body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) };

        var wrong = await PostAsync("syn-" + new string('A', 43), path, body);
        var two = await PostAsync(secret, path, body, bearer: secret);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, two.StatusCode);
        Assert.Equal("invalid_api_key", JsonNode.Parse(await two.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABodyThatRepeatsAProperty_IsRefusedAsOnV1_NotRewritten()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = new HttpClient { BaseAddress = Gateway.BaseAddress };
        client.DefaultRequestHeaders.Add("api-key", secret);

        var response = await client.PostAsync(
            $"/openai/deployments/{GatewayFixture.OnPremModel}/chat/completions?{ApiVersion}",
            new StringContent("""{"model":"a","model":"b","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("same property twice", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherAzurePath_Gets404_InOpenAisShape()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);

        var response = await PostAsync(secret, $"/openai/deployments/{GatewayFixture.OnPremModel}/completions?{ApiVersion}", new JsonObject { ["prompt"] = "hi" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_url", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    private async Task<HttpResponseMessage> PostAsync(string apiKey, string path, JsonObject body, string? bearer = null)
    {
        using var client = new HttpClient { BaseAddress = Gateway.BaseAddress };
        client.DefaultRequestHeaders.Add("api-key", apiKey);
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        var response = await client.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
