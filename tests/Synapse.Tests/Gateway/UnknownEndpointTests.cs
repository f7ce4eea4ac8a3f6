extern alias AnthropicSdk;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A path the gateway does not serve, tried with a key (files, fine-tuning, a served path with
/// another method): the key is used for something it was not issued for, so the request is
/// refused with 404 <c>unknown_url</c> in the client's shape and recorded like any other
/// refusal, the method and path in its detail — screened like every text a client chose.
/// Without a valid key nothing tells a caller which paths exist: 401.
/// </summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class UnknownEndpointTests(GatewayFixture fixture)
{
    private GatewayHost Gateway => fixture.Gateway;

    [Theory]
    [InlineData("POST", "/v1/files", "POST /v1/files")]
    [InlineData("GET", "/v1/fine_tuning/jobs?limit=5", "GET /v1/fine_tuning/jobs")]
    [InlineData("GET", "/v1/chat/completions", "GET /v1/chat/completions")]
    [InlineData("DELETE", "/v1/models/some-model", "DELETE /v1/models/some-model")]
    [InlineData("POST", "/openai/deployments/some-model/completions?api-version=2024-10-21", "POST /openai/deployments/some-model/completions")]
    public async Task AKeyTriedOnAPathNotServed_Gets404_AndTheAttemptIsAudited(string method, string path, string endpoint)
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = new HttpClient { BaseAddress = Gateway.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var azure = path.StartsWith("/openai", StringComparison.Ordinal); // Azure's key header on its paths
        request.Headers.TryAddWithoutValidation(azure ? "api-key" : "Authorization", azure ? secret : $"Bearer {secret}");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("unknown_url", "invalid_request_error"), (error["code"]!.GetValue<string>(), error["type"]!.GetValue<string>()));
        var audited = Assert.Single(await Gateway.AuditEventsOfAsync(response));
        Assert.Equal(("rejection", "invalid_request", 404, "unknown", keyId), Row(audited));
        Assert.Equal(endpoint, JsonNode.Parse(audited["detail"]!.GetValue<string>())!["endpoint"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/v1/files/4111111111111111/content", "POST /v1/files/[REDACTED:CREDIT_CARD]/content")]
    [InlineData("/v1/files/4111%201111%201111%201111", "POST /v1/files/[REDACTED:CREDIT_CARD]")] // escaped: screened as the client meant it
    public async Task DataInThePath_IsMaskedInTheLog(string path, string endpoint)
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = Gateway.ClientFor(secret);

        var response = await client.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var detail = Assert.Single(await Gateway.AuditEventsOfAsync(response))["detail"]!.GetValue<string>();
        Assert.Equal(endpoint, JsonNode.Parse(detail)!["endpoint"]!.GetValue<string>());
        Assert.DoesNotContain("1111", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnthropicClient_GetsAnthropicsNotFoundError_AndIsAudited()
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = new HttpClient { BaseAddress = Gateway.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", secret);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        var response = await client.PostAsync("/v1/messages/batches", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(("error", "not_found_error"), (body["type"]!.GetValue<string>(), body["error"]!["type"]!.GetValue<string>()));
        var audited = Assert.Single(await Gateway.AuditEventsOfAsync(response));
        Assert.Equal(("rejection", "invalid_request", 404, "unknown", keyId), Row(audited));
    }

    [Fact]
    public async Task AnOpenAiSdkWhoseBaseUrlLacksV1_IsToldWhichToSet_AndAudited()
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        var chat = new OpenAI.Chat.ChatClient(GatewayFixture.OnPremModel, new System.ClientModel.ApiKeyCredential(secret),
            new OpenAI.OpenAIClientOptions { Endpoint = Gateway.BaseAddress, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => chat.CompleteChatAsync("hi"));

        Assert.Equal(404, error.Status);
        Assert.Contains($"set the client's base URL to {Gateway.BaseAddress.ToString().TrimEnd('/')}/v1.", error.Message, StringComparison.Ordinal);
        var response = error.GetRawResponse()!;
        var requestId = response.Headers.TryGetValue("x-request-id", out var id) ? id : null;
        Assert.NotNull(requestId);
        var audited = (await Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?limit=200"))!["items"]!.AsArray()
            .Select(e => e!.AsObject()).Single(e => e["requestId"]?.GetValue<string>() == requestId);
        Assert.Equal(("rejection", "invalid_request", 404, "unknown", keyId), Row(audited));
        Assert.Equal("POST /chat/completions", JsonNode.Parse(audited["detail"]!.GetValue<string>())!["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnAnthropicSdkWhoseBaseUrlEndsInV1_IsToldThatItAddsV1Itself()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        var client = new AnthropicSdk::Anthropic.AnthropicClient { ApiKey = secret, BaseUrl = Gateway.V1.ToString().TrimEnd('/'), MaxRetries = 0 };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.Models.List());

        Assert.Contains($"The path has /v1 twice: the client adds /v1 itself, so set its base URL to {Gateway.BaseAddress.ToString().TrimEnd('/')}.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("syn-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task WithoutAValidKey_NoPathIsToldApart(string? secret)
    {
        using var client = secret is null ? new HttpClient { BaseAddress = Gateway.BaseAddress } : Gateway.ClientFor(secret);

        var served = await client.GetAsync("/v1/models");
        var notServed = await client.GetAsync("/v1/files");

        Assert.Equal(HttpStatusCode.Unauthorized, served.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, notServed.StatusCode);
        Assert.Equal("invalid_api_key", JsonNode.Parse(await notServed.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    private static (string Kind, string Outcome, int Status, string Api, string? KeyId) Row(JsonObject e) => (
        e["kind"]!.GetValue<string>(),
        e["outcome"]!.GetValue<string>(),
        e["httpStatus"]!.GetValue<int>(),
        e["api"]!.GetValue<string>(),
        e["keyId"]?.GetValue<string>());
}
