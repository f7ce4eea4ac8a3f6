using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class RateLimitTests(GatewayFixture fixture)
{
    [Fact]
    public async Task RequestsPerMinute_ConcurrentBurst_AdmitsExactlyTheLimit()
    {
        var (id, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        await SetLimitsAsync(id, requestsPerMinute: 20);
        using var client = fixture.Gateway.ClientFor(secret);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "x" } } })));

        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(80, refused.Count);
        var error = await refused[0].Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("rate_limit_exceeded", error!["error"]!["code"]!.GetValue<string>());
        Assert.True(int.Parse(refused[0].Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Equal("0", refused[0].Headers.GetValues("x-ratelimit-remaining-requests").Single());
    }

    [Fact]
    public async Task RefusedRequests_CountAgainstRequestsPerMinute_AndAKeyPastItGetsNoDlpVerdict()
    {
        var (id, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        await SetLimitsAsync(id, requestsPerMinute: 3);
        using var client = fixture.Gateway.ClientFor(secret);
        var card = new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "pay with 4111 1111 1111 1111" } } };
        var marker = Guid.NewGuid().ToString("N");

        using var malformed = await client.PostAsync("/v1/chat/completions", new StringContent("{\"model\":", System.Text.Encoding.UTF8, "application/json"));
        using var offTheList = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.CloudModel, messages = new[] { new { role = "user", content = "x" } } });
        using var blocked = await client.PostAsJsonAsync("/v1/chat/completions", card);
        using var probe = await client.PostAsJsonAsync("/v1/chat/completions", card);
        using var valid = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = marker } } });

        Assert.Equal((HttpStatusCode.BadRequest, "2"), (malformed.StatusCode, Remaining(malformed)));
        Assert.Equal((HttpStatusCode.Forbidden, "1"), (offTheList.StatusCode, Remaining(offTheList)));
        Assert.Equal((HttpStatusCode.BadRequest, "0"), (blocked.StatusCode, Remaining(blocked)));
        Assert.Equal("dlp_blocked", (await blocked.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());

        // Past the limit, the same prompt learns nothing of what DLP makes of it, and a good one waits too.
        var refusal = await probe.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, probe.StatusCode);
        Assert.Equal("rate_limit_exceeded", JsonNode.Parse(refusal)!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("credit_card", refusal, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        Assert.Empty(fixture.Upstream.RequestsFor(marker));
        var row = Assert.Single(await fixture.Gateway.AuditEventsOfAsync(probe));
        Assert.Equal(("rate_limited", GatewayFixture.OnPremModel), (row["outcome"]!.GetValue<string>(), row["model"]!.GetValue<string>()));
        Assert.Null(row["dlpCategories"]);
    }

    [Fact]
    public async Task TokenCounts_TakeARequestOfTheWindow_AndAreRefusedPastIt()
    {
        var (id, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        await SetLimitsAsync(id, requestsPerMinute: 2);
        using var client = fixture.Gateway.ClientFor(secret);
        var body = new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "how long is this?" } } };

        using var first = await client.PostAsJsonAsync("/v1/messages/count_tokens", body);
        using var second = await client.PostAsJsonAsync("/v1/messages/count_tokens", body);
        using var third = await client.PostAsJsonAsync("/v1/messages/count_tokens", body);
        using var chat = await client.PostAsJsonAsync("/v1/chat/completions", body);

        Assert.Equal((HttpStatusCode.OK, "1"), (first.StatusCode, Remaining(first)));
        Assert.True((await first.Content.ReadFromJsonAsync<JsonObject>())!["input_tokens"]!.GetValue<int>() > 0);
        Assert.Equal((HttpStatusCode.OK, "0"), (second.StatusCode, Remaining(second)));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("rate_limit_error", (await third.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.TooManyRequests, chat.StatusCode);
    }

    // The provider reads tool definitions, schemas and stop sequences into the prompt: a limit
    // that counted messages alone let megabytes through in a tool's description.
    [Fact]
    public async Task TokensPerMinute_CountTextOutsideTheMessages()
    {
        var (id, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        (await fixture.Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 100, tokensPerMinute = 2_000, maxConcurrentRequests = 10 })).EnsureSuccessStatusCode();
        using var client = fixture.Gateway.ClientFor(secret);
        var marker = Guid.NewGuid().ToString("N");
        var description = marker + string.Concat(Enumerable.Repeat(" lorem ipsum dolor sit amet", 2_000));
        var tool = new { type = "function", function = new { name = "lookup", description, parameters = new { type = "object", properties = new { q = new { type = "string" } } } } };

        using var small = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "hi" } }, tools = new[] { new { type = "function", function = new { name = "lookup", description = "Looks a word up." } } } });
        using var counted = await client.PostAsJsonAsync("/v1/messages/count_tokens", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "hi" } }, tools = new[] { new { name = "lookup", description, input_schema = new { type = "object" } } } });
        using var large = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "hi" } }, tools = new[] { tool } });

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        Assert.True((await counted.Content.ReadFromJsonAsync<JsonObject>())!["input_tokens"]!.GetValue<int>() > 10_000);
        Assert.Equal(HttpStatusCode.TooManyRequests, large.StatusCode);
        Assert.Equal("rate_limit_exceeded", (await large.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(fixture.Upstream.RequestsFor(marker));
    }

    [Fact]
    public async Task EveryV1Answer_CarriesOpenAisRateLimitHeaders()
    {
        var (id, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        await SetLimitsAsync(id, requestsPerMinute: 7);
        using var client = fixture.Gateway.ClientFor(secret);

        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "hello" } } });

        Assert.Equal("7", response.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("6", response.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal("1000000", response.Headers.GetValues("x-ratelimit-limit-tokens").Single());
        Assert.True(int.Parse(response.Headers.GetValues("x-ratelimit-remaining-tokens").Single(), System.Globalization.CultureInfo.InvariantCulture) < 1_000_000);
        Assert.EndsWith("s", response.Headers.GetValues("x-ratelimit-reset-requests").Single(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.GetValues("x-ratelimit-reset-tokens").Single());
    }

    [Fact]
    public async Task OpenAiSdk_SeesA429WithRetryAfter()
    {
        var (id, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        await SetLimitsAsync(id, requestsPerMinute: 1);
        var chat = new ChatClient(GatewayFixture.OnPremModel, new ApiKeyCredential(secret), new OpenAIClientOptions { Endpoint = fixture.Gateway.V1, RetryPolicy = new ClientRetryPolicy(0) });
        await chat.CompleteChatAsync([new UserChatMessage("first")]);

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("second")]));

        Assert.Equal(429, refused.Status);
        var raw = refused.GetRawResponse()!;
        Assert.True(raw.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.True(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(raw.Headers.TryGetValue("x-ratelimit-remaining-requests", out var remaining));
        Assert.Equal("0", remaining);
    }

    [Fact]
    public async Task OutputCaps_SetThroughTheAdminApi_RefuseLargerRequestsNamingTheField()
    {
        var (id, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        var set = await fixture.Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 100, tokensPerMinute = 100_000, maxConcurrentRequests = 4, maxOutputTokens = 256, maxChoices = 2 });
        var invalid = await fixture.Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 100, tokensPerMinute = 100_000, maxConcurrentRequests = 4, maxOutputTokens = 0 });
        using var client = fixture.Gateway.ClientFor(secret);
        var messages = new[] { new { role = "user", content = "x" } };

        var tooLong = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages, max_tokens = 257 });
        var tooMany = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages, n = 3 });
        var fits = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages, max_tokens = 256, n = 2 });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var key = await set.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((256, 2), (key!["limits"]!["maxOutputTokens"]!.GetValue<int>(), key["limits"]!["maxChoices"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("max_tokens", (await tooLong.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("n", (await tooMany.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["param"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
    }

    [Fact]
    public async Task UpdateLimits_ChangesOnlyTheLimits()
    {
        var (id, _) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);

        var updated = await fixture.Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 3, tokensPerMinute = 100, maxConcurrentRequests = 1 });
        var invalid = await fixture.Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 0, tokensPerMinute = 100, maxConcurrentRequests = 1 });
        var smuggled = await fixture.Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 3, tokensPerMinute = 100, maxConcurrentRequests = 1, allowedModels = new[] { "gpt-4o" } });

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var key = await updated.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(3, key!["limits"]!["requestsPerMinute"]!.GetValue<int>());
        Assert.Equal(GatewayFixture.OnPremModel, key["allowedModels"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, smuggled.StatusCode);
    }

    private static string Remaining(HttpResponseMessage response) => response.Headers.GetValues("x-ratelimit-remaining-requests").Single();

    private async Task SetLimitsAsync(string keyId, int requestsPerMinute) =>
        (await fixture.Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{keyId}/limits", new { requestsPerMinute, tokensPerMinute = 1_000_000, maxConcurrentRequests = 1000 })).EnsureSuccessStatusCode();
}
