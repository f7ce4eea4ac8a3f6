using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Models;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// <c>GET /v1/models/{model}</c>: a model of the key's allowlist is described as OpenAI does; any
/// other is a model that does not exist (404 <c>model_not_found</c>), and both are audited with
/// the model asked for.
/// </summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class ModelRetrieveTests(GatewayFixture fixture)
{
    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task AModelOnTheAllowlist_IsDescribedAndAudited()
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = Gateway.ClientFor(secret);

        var response = await client.GetAsync($"/v1/models/{GatewayFixture.OnPremModel}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var model = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(GatewayFixture.OnPremModel, model["id"]!.GetValue<string>());
        Assert.Equal("model", model["object"]!.GetValue<string>());
        Assert.Equal(["created", "id", "object", "owned_by"], model.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray());
        var audited = Assert.Single(await Gateway.AuditEventsOfAsync(response));
        Assert.Equal(("request", "allowed", 200, "models.retrieve", GatewayFixture.OnPremModel, keyId), Row(audited));
    }

    [Theory]
    [InlineData(GatewayFixture.CloudModel)] // served by the gateway, not on this key's list
    [InlineData("no-such-model")]
    [InlineData("org/model")]
    [InlineData("org%2Fmodel")]
    public async Task AnyOtherModel_IsNotFound_InOpenAisShape_AndAudited(string model)
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = Gateway.ClientFor(secret);

        var response = await client.GetAsync($"/v1/models/{model}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("model", error["param"]!.GetValue<string>());
        var audited = Assert.Single(await Gateway.AuditEventsOfAsync(response));
        Assert.Equal(("rejection", "model_not_allowed", 404, "models.retrieve", model.Replace("%2F", "/", StringComparison.Ordinal), keyId), Row(audited));
    }

    [Fact]
    public async Task AModelWhoseIdHoldsASlash_IsFound_EscapedOrNot()
    {
        const string model = "org/model";
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("hub", upstream.BaseUrl, "on-prem", model));
        var (_, secret) = await gateway.CreateKeyAsync([model]);
        using var client = gateway.ClientFor(secret);

        var plain = await client.GetAsync("/v1/models/org/model");
        var escaped = await client.GetAsync("/v1/models/org%2Fmodel");

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, escaped.StatusCode);
        Assert.Equal(model, JsonNode.Parse(await plain.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        Assert.Equal(model, JsonNode.Parse(await escaped.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheOpenAiSdk_RetrievesAModel_AndGetsItsNotFoundError()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        var models = new OpenAIModelClient(new ApiKeyCredential(secret), new OpenAIClientOptions { Endpoint = Gateway.V1, RetryPolicy = new ClientRetryPolicy(0) });

        OpenAIModel found = await models.GetModelAsync(GatewayFixture.OnPremModel);
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => models.GetModelAsync(GatewayFixture.CloudModel));

        Assert.Equal(GatewayFixture.OnPremModel, found.Id);
        Assert.Equal(404, missing.Status);
        Assert.Contains("model_not_found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownKey_IsRefusedBeforeAnyModelIsNamed()
    {
        using var client = Gateway.ClientFor("syn-" + new string('A', 43));

        var response = await client.GetAsync($"/v1/models/{GatewayFixture.OnPremModel}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    private static (string Kind, string Outcome, int Status, string Api, string? Model, string? KeyId) Row(JsonObject e) => (
        e["kind"]!.GetValue<string>(),
        e["outcome"]!.GetValue<string>(),
        e["httpStatus"]!.GetValue<int>(),
        e["api"]!.GetValue<string>(),
        e["model"]?.GetValue<string>(),
        e["keyId"]?.GetValue<string>());
}
