extern alias AnthropicSdk;

using System.Net;
using System.Text.Json.Nodes;
using AnthropicSdk::Anthropic;
using AnthropicSdk::Anthropic.Models.Models;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.ClientApis;

/// <summary>
/// Anthropic's Models API on <c>/v1/models</c>: a request with <c>anthropic-version</c> (as
/// Anthropic's SDKs send) gets the key's allowlist in Anthropic's shape, paged as Anthropic pages,
/// with its key header and its errors; every request audited as OpenAI's are.
/// </summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class AnthropicModelsTests(GatewayFixture fixture)
{
    private static readonly string[] Models = [GatewayFixture.OnPremModel, GatewayFixture.OnPremModel2, GatewayFixture.EmbeddingModel];

    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task TheList_IsTheAllowlist_InAnthropicsShape_PagedByItsCursors()
    {
        var (_, secret) = await Gateway.CreateKeyAsync(Models);
        var order = await OpenAiOrderAsync(secret);

        var all = await GetAsync(secret, "/v1/models");
        var first = await GetAsync(secret, "/v1/models?limit=2");
        var next = await GetAsync(secret, $"/v1/models?limit=2&after_id={order[1]}");
        var before = await GetAsync(secret, $"/v1/models?before_id={order[2]}");
        var lost = await GetAsync(secret, "/v1/models?after_id=no-such-model");

        Assert.Equal(order, Ids(all));
        Assert.All(all["data"]!.AsArray(), m => Assert.Equal(("model", m!["id"]!.GetValue<string>(), "1970-01-01T00:00:00Z"), (m["type"]!.GetValue<string>(), m["display_name"]!.GetValue<string>(), m["created_at"]!.GetValue<string>())));
        Assert.Equal((false, order[0], order[2]), Page(all));
        Assert.Equal(order[..2], Ids(first));
        Assert.Equal((true, order[0], order[1]), Page(first));
        Assert.Equal(order[2..], Ids(next));
        Assert.Equal((false, order[2], order[2]), Page(next));
        Assert.Equal(order[..2], Ids(before));
        Assert.Equal((false, order[0], order[1]), Page(before));
        Assert.Empty(Ids(lost));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=two")]
    [InlineData("after_id=a&before_id=b")]
    public async Task ABadPage_Gets400_InAnthropicsShape_AndIsAudited(string query)
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync(Models);
        using var client = AnthropicClientFor(secret);

        var response = await client.GetAsync("/v1/models?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        var audited = Assert.Single(await Gateway.AuditEventsOfAsync(response));
        Assert.Equal(("rejection", "invalid_request", 400, keyId), (audited["kind"]!.GetValue<string>(), audited["outcome"]!.GetValue<string>(), audited["httpStatus"]!.GetValue<int>(), audited["keyId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OneModel_IsDescribed_AndAnyOtherIsNotFound_InAnthropicsShape()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = AnthropicClientFor(secret);

        var found = await client.GetAsync($"/v1/models/{GatewayFixture.OnPremModel}");
        var missing = await client.GetAsync($"/v1/models/{GatewayFixture.CloudModel}");

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(GatewayFixture.OnPremModel, JsonNode.Parse(await found.Content.ReadAsStringAsync())!["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found_error", JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
        Assert.Equal("model_not_found", missing.Headers.GetValues("x-synapse-error-code").Single());
    }

    [Fact]
    public async Task AWrongKey_GetsAnthropicsAuthenticationError()
    {
        using var client = AnthropicClientFor("syn-" + new string('A', 43));

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_error", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheAnthropicSdk_ListsAndRetrievesModels_AndGetsItsNotFoundError()
    {
        var (_, secret) = await Gateway.CreateKeyAsync(Models);
        var order = await OpenAiOrderAsync(secret);
        var client = new AnthropicClient { ApiKey = secret, BaseUrl = Gateway.BaseAddress.ToString().TrimEnd('/'), MaxRetries = 0 };

        var listed = new List<string>();
        var page = await client.Models.List(new ModelListParams { Limit = 2 });
        while (true)
        {
            listed.AddRange(page.Items.Select(m => m.ID));
            if (!page.HasNext())
            {
                break;
            }

            page = await page.Next();
        }

        var one = await client.Models.Retrieve(GatewayFixture.OnPremModel2);
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => client.Models.Retrieve(GatewayFixture.CloudModel));

        Assert.Equal(order, listed.ToArray());
        Assert.Equal(GatewayFixture.OnPremModel2, one.ID);
        Assert.Contains("NotFound", missing.GetType().Name + missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAnthropicVersion_TheSamePathsAnswerAsOpenAi()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var openAi = Gateway.ClientFor(secret);

        var list = JsonNode.Parse(await openAi.GetStringAsync("/v1/models"))!;

        Assert.Equal("list", list["object"]!.GetValue<string>());
        Assert.Equal("model", list["data"]![0]!["object"]!.GetValue<string>());
    }

    private HttpClient AnthropicClientFor(string secret)
    {
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", secret);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    private async Task<JsonObject> GetAsync(string secret, string path)
    {
        using var client = AnthropicClientFor(secret);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    // The allowlist's order, as the OpenAI-shaped list gives it.
    private async Task<string[]> OpenAiOrderAsync(string secret)
    {
        using var client = Gateway.ClientFor(secret);
        var list = JsonNode.Parse(await client.GetStringAsync("/v1/models"))!;
        return [.. list["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>())];
    }

    private static string[] Ids(JsonObject page) => [.. page["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>())];

    private static (bool HasMore, string? First, string? Last) Page(JsonObject page) =>
        (page["has_more"]!.GetValue<bool>(), page["first_id"]?.GetValue<string>(), page["last_id"]?.GetValue<string>());
}
