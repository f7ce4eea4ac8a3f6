using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Keys;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Admin;

/// <summary>
/// <c>POST /admin/api/keys/{id}/rotate</c> over real HTTP: the same key gets a new secret, shown
/// once; the old one works for the overlap and is then refused exactly like an unknown key, while
/// its audit row names it as a rotated secret; a second rotation during an overlap stops the secret
/// before at once. The clock is moved, never slept through.
/// </summary>
[Trait("Category", "Slow")]
[Collection(KeyRotationCollection.Name)]
public sealed class KeyRotationTests(KeyRotationFixture fixture)
{
    private HttpClient Admin => fixture.Gateway.Admin;

    [Fact]
    public async Task ARotatedKey_TakesBothSecretsDuringTheOverlap_ThenRefusesTheOldLikeAnUnknownKey_AndAuditsItAsRotated()
    {
        var (id, old) = await fixture.Gateway.CreateKeyAsync([KeyRotationFixture.Model]);
        using var oldClient = fixture.Gateway.ClientFor(old);
        Assert.Equal(HttpStatusCode.OK, (await oldClient.GetAsync("/v1/models")).StatusCode);

        var rotated = await Admin.PostAsJsonAsync($"/admin/api/keys/{id}/rotate", new { overlapSeconds = 3600 });

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var view = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = view["key"]!.GetValue<string>();
        Assert.Equal(id, view["id"]!.GetValue<string>());
        Assert.NotEqual(old, secret);
        Assert.True(ApiKeySecrets.IsWellFormed(secret));
        Assert.Equal(secret[..ApiKeySecrets.DisplayPrefixLength], view["prefix"]!.GetValue<string>());
        var rotatedAt = view["rotatedAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(rotatedAt.AddHours(1), view["previousKeyEndsAt"]!.GetValue<DateTimeOffset>());

        // Shown once: reading the key again shows its new prefix and the overlap, never the secret.
        var read = await Admin.GetStringAsync($"/admin/api/keys/{id}");
        Assert.DoesNotContain(secret, read, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(read)!["key"]);
        Assert.Equal(view["prefix"]!.GetValue<string>(), JsonNode.Parse(read)!["prefix"]!.GetValue<string>());

        // During the overlap both work, and a request with the new secret is the same key's history.
        using var newClient = fixture.Gateway.ClientFor(secret);
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await oldClient.GetAsync("/v1/models")).StatusCode);
        var marker = "rotated" + Guid.NewGuid().ToString("N");
        var served = await newClient.PostAsJsonAsync("/v1/chat/completions", Chat(marker));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.All(await fixture.Gateway.AuditEventsOfAsync(served), e => Assert.Equal(id, e["keyId"]!.GetValue<string>()));

        fixture.Clock.Advance(TimeSpan.FromHours(1));

        // After it the old secret is answered exactly as a secret nobody ever issued, on both APIs.
        var unknown = ApiKeySecrets.Generate();
        Assert.Equal(await AnswerAsync(Models(unknown)), await AnswerAsync(Models(old)));
        Assert.Equal(await AnswerAsync(Messages(unknown)), await AnswerAsync(Messages(old)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldClient.PostAsJsonAsync("/v1/chat/completions", Chat(marker + "-late"))).StatusCode);
        Assert.Empty(fixture.Upstream.RequestsFor(marker + "-late"));
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/v1/models")).StatusCode);

        // ...but the operator sees which key's replaced secret is still in use.
        var refused = await Eventually.ValueAsync(
            async () => (await Admin.GetFromJsonAsync<JsonObject>($"/admin/api/audit?keyId={id}&outcome=invalid_key&limit=100"))!["items"]!.AsArray(),
            items => items.Count >= 3);
        Assert.True(refused.Count >= 3, refused.ToJsonString());
        Assert.All(refused, row => Assert.Contains("\"rotatedSecret\":true", row!["detail"]!.GetValue<string>(), StringComparison.Ordinal));

        // The rotation is audited as key.rotate, and no secret reaches the audit log or a log line.
        var admin = (await Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?kind=admin&limit=1000"))!["items"]!.AsArray()
            .Where(e => e!["target"]?.GetValue<string>() == id).Select(e => (e!["action"]!.GetValue<string>(), e["outcome"]!.GetValue<string>())).ToList();
        Assert.Contains(("key.rotate", "requested"), admin);
        Assert.Contains(("key.rotate", "succeeded"), admin);
        var everything = await Admin.GetStringAsync("/admin/api/audit/export?format=jsonl");
        Assert.Contains(id, everything, StringComparison.Ordinal);
        foreach (var s in new[] { old, secret })
        {
            Assert.DoesNotContain(s, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(CapturedLogs.Lines, line => line.Contains(s, StringComparison.Ordinal));
            Assert.DoesNotContain(ApiKeySecrets.Hash(s), everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RotatingDuringAnOverlap_StopsTheSecretBeforeAtOnce_AndTheLookupHoldsTwoSecretsAKeyAtMost()
    {
        var (id, first) = await fixture.Gateway.CreateKeyAsync([KeyRotationFixture.Model]);
        var second = await RotateAsync(id, 3600);
        var third = await RotateAsync(id, 3600);

        // The secret replaced two rotations ago stopped at once; the last two both work.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Models(third))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Models(second))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(Models(first))).StatusCode);

        // And is gone from the lookup: a key never holds more than two entries there.
        var grains = fixture.Gateway.Services.GetRequiredService<IGrainFactory>();
        string? Resolve(string s) => grains.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(ApiKeySecrets.Hash(s))).Resolve(ApiKeySecrets.Hash(s)).GetAwaiter().GetResult();
        Assert.Null(Resolve(first));
        Assert.Equal(id, Resolve(second));
        Assert.Equal(id, Resolve(third));

        // Without an overlap (no body at all) the replaced secret stops at once.
        using var bare = new HttpRequestMessage(HttpMethod.Post, $"/admin/api/keys/{id}/rotate");
        var rotated = await Admin.SendAsync(bare);
        Assert.True(rotated.StatusCode == HttpStatusCode.OK, await rotated.Content.ReadAsStringAsync());
        var fourth = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Models(fourth))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(Models(third))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(Models(second))).StatusCode);
        Assert.Null(Resolve(second));
    }

    [Fact]
    public async Task TwoRotationsAtOnce_OnlyOneSucceeds_AndItsSecretIsTheOneThatWorks()
    {
        var (id, _) = await fixture.Gateway.CreateKeyAsync([KeyRotationFixture.Model]);
        var key = fixture.Gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeyGrain>(id);
        var seen = (await key.GetInfo())!.Prefix;

        // Both front ends read the same key; the grain takes one rotation at a time.
        var a = ApiKeySecrets.Generate();
        var b = ApiKeySecrets.Generate();
        var results = await Task.WhenAll(
            key.Rotate(new KeySecretRotation(ApiKeySecrets.Hash(a), ApiKeySecrets.DisplayPrefix(a), seen, TimeSpan.Zero)),
            key.Rotate(new KeySecretRotation(ApiKeySecrets.Hash(b), ApiKeySecrets.DisplayPrefix(b), seen, TimeSpan.Zero)));

        Assert.Single(results, r => r.Outcome == KeyRotationOutcome.Rotated);
        Assert.Single(results, r => r.Outcome == KeyRotationOutcome.RotatedMeanwhile);
        var winner = results[0].Outcome == KeyRotationOutcome.Rotated ? a : b;
        var loser = winner == a ? b : a;
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Models(winner))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(Models(loser))).StatusCode);

        // Over HTTP, rotations sent together: every one is a 200 with its own secret or a 409.
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Admin.PostAsJsonAsync($"/admin/api/keys/{id}/rotate", new { overlapSeconds = 0 })));
        Assert.All(answers, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task RevokedExpiredAndUnknownKeys_AndBadOverlaps_AreRefusedWithProblemDetails()
    {
        var (revoked, _) = await fixture.Gateway.CreateKeyAsync([KeyRotationFixture.Model]);
        (await Admin.PostAsync($"/admin/api/keys/{revoked}/revoke", null)).EnsureSuccessStatusCode();
        var revokedProblem = await AssertProblemAsync(await Admin.PostAsJsonAsync($"/admin/api/keys/{revoked}/rotate", new { overlapSeconds = 60 }), HttpStatusCode.Conflict, "Key revoked");
        Assert.Equal("key_revoked", revokedProblem["code"]!.GetValue<string>());

        var teamId = await fixture.Gateway.CreateTeamAsync();
        var created = await Admin.PostAsJsonAsync("/admin/api/keys", new
        {
            teamId,
            name = "until tomorrow",
            allowedModels = new[] { KeyRotationFixture.Model },
            classification = "non_sensitive",
            limits = new { requestsPerMinute = 60, tokensPerMinute = 100_000, maxConcurrentRequests = 2 },
            expiresAt = fixture.Clock.GetUtcNow().AddDays(1).ToString("O"),
        });
        var expired = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        fixture.Clock.Advance(TimeSpan.FromDays(1));
        var expiredProblem = await AssertProblemAsync(await Admin.PostAsJsonAsync($"/admin/api/keys/{expired}/rotate", new { overlapSeconds = 60 }), HttpStatusCode.Conflict, "Key expired");
        Assert.Equal("key_expired", expiredProblem["code"]!.GetValue<string>());

        await AssertProblemAsync(await Admin.PostAsJsonAsync("/admin/api/keys/key_nosuchkey/rotate", new { overlapSeconds = 60 }), HttpStatusCode.NotFound, "Key not found");

        var (id, secret) = await fixture.Gateway.CreateKeyAsync([KeyRotationFixture.Model]);
        foreach (var body in new[] { """{"overlapSeconds":-1}""", """{"overlapSeconds":86401}""", """{"overlapSeconds":"PT1H"}""", """{"overlap":3600}""" })
        {
            var response = await Admin.PostAsync($"/admin/api/keys/{id}/rotate", new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, null);
            Assert.True(problem["errors"]!.AsObject().Count == 1, problem.ToJsonString());
        }

        // A reader may see the key but not rotate it; the refusals left its secret working.
        using var auditor = await fixture.AccountAsync("auditor");
        Assert.Equal(HttpStatusCode.OK, (await auditor.SendAsync(HttpMethod.Get, $"/admin/api/keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.SendAsync(HttpMethod.Post, $"/admin/api/keys/{id}/rotate", new { overlapSeconds = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Models(secret))).StatusCode);
        Assert.Null(JsonNode.Parse(await Admin.GetStringAsync($"/admin/api/keys/{id}"))!["rotatedAt"]);
    }

    private async Task<string> RotateAsync(string id, int overlapSeconds)
    {
        var response = await Admin.PostAsJsonAsync($"/admin/api/keys/{id}/rotate", new { overlapSeconds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        if (title is not null)
        {
            Assert.Equal(title, problem["title"]!.GetValue<string>());
        }

        return problem;
    }

    private static HttpRequestMessage Models(string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        return request;
    }

    private static HttpRequestMessage Messages(string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{KeyRotationFixture.Model}}","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", secret);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
            return await http.SendAsync(request);
        }
    }

    /// <summary>What a client can tell an answer by: status, body, and which headers came (not the values of the date and request id).</summary>
    private async Task<string> AnswerAsync(HttpRequestMessage request)
    {
        var response = await SendAsync(request);
        var headers = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).Order(StringComparer.OrdinalIgnoreCase);
        return $"{(int)response.StatusCode}\n{string.Join(",", headers)}\n{await response.Content.ReadAsStringAsync()}";
    }

    private static object Chat(string content) => new
    {
        model = KeyRotationFixture.Model,
        messages = new[] { new { role = "user", content } },
    };
}
