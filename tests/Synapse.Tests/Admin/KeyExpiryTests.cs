using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Admin;

/// <summary>
/// A key approved until a moment (<c>expiresAt</c>) serves until then and is refused from then on,
/// on every client API and streamed too, with an error that says so, an audit row that records it
/// and one alert that someone still uses it; the provider never sees a request made after it. The
/// admin API lists it as expired.
/// </summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class KeyExpiryTests(GatewayFixture fixture)
{
    private HttpClient Admin => fixture.Gateway.Admin;

    [Fact]
    public async Task AKeyPastItsExpiry_IsRefusedOnEveryApi_Audited_AndListedAsExpired()
    {
        var teamId = await fixture.Gateway.CreateTeamAsync();
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var created = await Admin.PostAsJsonAsync("/admin/api/keys", KeyRequest(teamId, expiresAt.ToString("O")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var (id, secret) = (key["id"]!.GetValue<string>(), key["key"]!.GetValue<string>());
        Assert.Equal(expiresAt.ToUnixTimeSeconds(), key["expiresAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.False(key["expired"]!.GetValue<bool>());
        using var client = fixture.Gateway.ClientFor(secret);

        // Before: served (and so the path the refusal is checked on ran).
        var before = "expirybefore" + Guid.NewGuid().ToString("N");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/chat/completions", Chat(before, stream: false))).StatusCode);
        Assert.Single(fixture.Upstream.RequestsFor(before));

        // Past already on a loaded machine (the first call can take the whole 3 s): a negative delay threw.
        var untilExpired = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        if (untilExpired > TimeSpan.Zero)
        {
            await Task.Delay(untilExpired);
        }

        var after = "expiryafter" + Guid.NewGuid().ToString("N");
        var refused = await client.PostAsJsonAsync("/v1/chat/completions", Chat(after, stream: false));
        var error = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("key_expired", error["code"]!.GetValue<string>());
        Assert.StartsWith("This API key expired at ", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var streamed = await client.PostAsJsonAsync("/v1/chat/completions", Chat(after, stream: true));
        Assert.Equal(HttpStatusCode.Unauthorized, streamed.StatusCode);

        using var messages = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{GatewayFixture.OnPremModel}}","max_tokens":16,"messages":[{"role":"user","content":"{{after}}"}]}""", Encoding.UTF8, "application/json"),
        };
        messages.Headers.Add("x-api-key", secret);
        using var anonymous = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
        var anthropic = await anonymous.SendAsync(messages);
        var anthropicError = (await anthropic.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.Unauthorized, anthropic.StatusCode);
        Assert.Equal("authentication_error", anthropicError["error"]!["type"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/models")).StatusCode);
        Assert.Empty(fixture.Upstream.RequestsFor(after));

        // Audited: every refusal, as an invalid key, with the moment it expired.
        var rows = await Eventually.ValueAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/admin/api/audit?keyId={id}&outcome=invalid_key&limit=100"))!["items"]!.AsArray(),
            items => items.Count >= 4);
        Assert.All(rows, row => Assert.Equal(401, row!["httpStatus"]!.GetValue<int>()));
        Assert.All(rows, row => Assert.Contains("keyExpiredAt", row!["detail"]!.GetValue<string>(), StringComparison.Ordinal));

        // Someone still uses it: one alert for the key, however many tries (the next after an hour).
        var alerts = await Eventually.ValueAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/admin/api/alerts?type=expired_key_used&limit=500"))!["items"]!.AsArray()
                .Where(a => a!["keyId"]?.GetValue<string>() == id).ToList(),
            found => found.Count > 0,
            TimeSpan.FromSeconds(15));
        Assert.Single(alerts);
        Assert.Equal(teamId, alerts[0]!["teamId"]!.GetValue<string>());

        // Listed as expired, not active.
        var view = (await Admin.GetFromJsonAsync<JsonObject>($"/admin/api/keys/{id}"))!;
        Assert.True(view["expired"]!.GetValue<bool>());
        Assert.False(view["revoked"]!.GetValue<bool>());
        var expired = await Admin.GetStringAsync($"/admin/api/keys?teamId={teamId}&status=expired");
        var active = await Admin.GetStringAsync($"/admin/api/keys?teamId={teamId}&status=active");
        Assert.Contains(id, expired, StringComparison.Ordinal);
        Assert.DoesNotContain(id, active, StringComparison.Ordinal);
    }

    /// <summary>
    /// An expired key is over like a revoked one: no admin change reaches it, and the 409 says
    /// which of the two ended it (before: an expired key's limits were changed, 200).
    /// </summary>
    [Fact]
    public async Task Limits_OfAnExpiredKey_Get409NamingTheExpiry_AndStayAsTheyWere()
    {
        var teamId = await fixture.Gateway.CreateTeamAsync();
        var created = await Admin.PostAsJsonAsync("/admin/api/keys", KeyRequest(teamId, DateTimeOffset.UtcNow.AddSeconds(2).ToString("O")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // While it serves, its limits change (the path the refusal is checked on).
        var live = await Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 500, tokensPerMinute = 1_000_000, maxConcurrentRequests = 4 });
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        await Eventually.ValueAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/admin/api/keys/{id}"))!,
            view => view["expired"]!.GetValue<bool>(),
            TimeSpan.FromSeconds(15));
        var response = await Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 7, tokensPerMinute = 7, maxConcurrentRequests = 7 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Key expired", problem["title"]!.GetValue<string>());
        Assert.Equal("key_expired", problem["code"]!.GetValue<string>());
        var key = (await Admin.GetFromJsonAsync<JsonObject>($"/admin/api/keys/{id}"))!;
        Assert.Equal(500, key["limits"]!["requestsPerMinute"]!.GetValue<int>());

        var rows = await Eventually.ValueAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/admin/api/audit?kind=admin&outcome=failed&limit=500"))!["items"]!.AsArray()
                .Where(r => r!["action"]?.GetValue<string>() == "key.limits" && r["target"]?.GetValue<string>() == id && r["httpStatus"]?.GetValue<int>() == 409).ToList(),
            found => found.Count > 0);
        Assert.Equal("failed", rows[0]!["outcome"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2020-01-01T00:00:00Z")]
    [InlineData("soon")]
    public async Task AnExpiryInThePastOrNotAMoment_Gets400NamingIt(string expiresAt)
    {
        var teamId = await fixture.Gateway.CreateTeamAsync();

        var response = await Admin.PostAsJsonAsync("/admin/api/keys", KeyRequest(teamId, expiresAt));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey("expiresAt"), problem.ToJsonString());
    }

    private static object KeyRequest(string teamId, string expiresAt) => new
    {
        teamId,
        name = "Pilot until the review",
        allowedModels = new[] { GatewayFixture.OnPremModel },
        classification = "non_sensitive",
        limits = new { requestsPerMinute = 600, tokensPerMinute = 1_000_000, maxConcurrentRequests = 4 },
        expiresAt,
    };

    private static object Chat(string content, bool stream) => new
    {
        model = GatewayFixture.OnPremModel,
        stream,
        messages = new[] { new { role = "user", content } },
    };
}
