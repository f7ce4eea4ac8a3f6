using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Admin;

[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class AdminApiTests(GatewayFixture fixture)
{
    private HttpClient Admin => fixture.Gateway.Admin;

    [Fact]
    public async Task Teams_CreateListAndRefuseDuplicates()
    {
        var name = "HR-" + Guid.NewGuid().ToString("N")[..6];

        var created = await Admin.PostAsJsonAsync("/admin/api/teams", new { name });
        var duplicate = await Admin.PostAsJsonAsync("/admin/api/teams", new { name = name.ToUpperInvariant() });
        var list = await Admin.GetFromJsonAsync<JsonArray>("/admin/api/teams");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var team = await created.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(name, team!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType!.MediaType);
        Assert.Contains(list!, t => t!["id"]!.GetValue<string>() == team["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ＨＲ{0}", "HR{0}")]
    [InlineData("Cafe\u0301{0}", "Caf\u00e9{0}")]
    [InlineData("HR  {0}", "hr {0}")]
    public async Task Teams_NamesThatReadAlike_AreOneName(string first, string second)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];

        var created = await Admin.PostAsJsonAsync("/admin/api/teams", new { name = string.Format(System.Globalization.CultureInfo.InvariantCulture, first, suffix) });
        var lookalike = await Admin.PostAsJsonAsync("/admin/api/teams", new { name = string.Format(System.Globalization.CultureInfo.InvariantCulture, second, suffix) });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, lookalike.StatusCode);
    }

    [Theory]
    [InlineData("HR\u200B")]
    [InlineData("pay\u202Eroll")]
    [InlineData("a\tb")]
    [InlineData("\uE000")]
    public async Task Teams_NamesWithCharactersThatDoNotPrint_Get400(string name)
    {
        var response = await Admin.PostAsJsonAsync("/admin/api/teams", new { name = name + Guid.NewGuid().ToString("N")[..4] });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("name"), problem.ToJsonString());
    }

    [Fact]
    public async Task Teams_ANameTypedWithACombiningAccent_IsStoredComposed()
    {
        var name = "Cafe\u0301 " + Guid.NewGuid().ToString("N")[..6];

        var created = await (await Admin.PostAsJsonAsync("/admin/api/teams", new { name })).Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(name.Normalize(NormalizationForm.FormC), created!["name"]!.GetValue<string>());
        Assert.StartsWith("Caf\u00e9 ", created["name"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_SecretIsShownOnceAndNeverListed()
    {
        var teamId = await fixture.Gateway.CreateTeamAsync();
        var response = await Admin.PostAsJsonAsync("/admin/api/keys", KeyRequest(teamId));
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = created["id"]!.GetValue<string>();
        var secret = created["key"]!.GetValue<string>();

        var one = await Admin.GetStringAsync($"/admin/api/keys/{id}");
        var all = await Admin.GetStringAsync("/admin/api/keys");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches("^syn-[A-Za-z0-9_-]{43,}$", secret);
        Assert.StartsWith(created["prefix"]!.GetValue<string>(), secret, StringComparison.Ordinal);
        Assert.Equal("sensitive", created["classification"]!.GetValue<string>());
        Assert.Equal(60, created["limits"]!["requestsPerMinute"]!.GetValue<int>());
        Assert.DoesNotContain(secret, one, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[12..], all, StringComparison.Ordinal);
        Assert.Contains(id, all, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> InvalidKeyRequests => new()
    {
        { """{"teamId":"team_nope","name":"k","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "teamId" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["no-such-model"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "allowedModels" },
        { """{"teamId":"TEAM","name":"k","allowedModels":[],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "allowedModels" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["gpt-4o"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "allowedModels" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":0,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "limits.requestsPerMinute" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":-5,"maxConcurrentRequests":1}}""", "limits.tokensPerMinute" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1}}""", "limits.maxConcurrentRequests" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["llama3"],"classification":"secret","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "classification" },
        { """{"teamId":"TEAM","name":"k","allowedModels":"llama3","classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "allowedModels" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":"lots","tokensPerMinute":1,"maxConcurrentRequests":1}}""", "limits.requestsPerMinute" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":"10","tokensPerMinute":1,"maxConcurrentRequests":1}}""", "limits.requestsPerMinute" },
        { """{"teamId":"TEAM","name":"k","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1},"apiBase":"http://x"}""", "apiBase" },
        { """{"teamId":"TEAM","name":"pay\u202Eroll","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "name" },
        { """{"teamId":"TEAM","name":"k\u200B","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "name" },
        { """{"teamId":"TEAM","name":"","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "name" },
        { """{"teamId":"TEAM","name":"k","name":"j","allowedModels":["llama3"],"classification":"sensitive","limits":{"requestsPerMinute":1,"tokensPerMinute":1,"maxConcurrentRequests":1}}""", "name" },
        { """{"teamId":"TEAM",""", "$" },
    };

    [Theory]
    [MemberData(nameof(InvalidKeyRequests))]
    public async Task Keys_InvalidRequests_Get400WithTheField(string body, string field)
    {
        var teamId = await fixture.Gateway.CreateTeamAsync();
        var response = await Admin.PostAsync("/admin/api/keys", new StringContent(body.Replace("TEAM", teamId, StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"Expected an error for '{field}' in {problem.ToJsonString()}");
    }

    [Fact]
    public async Task Keys_UnknownIdGets404Problem()
    {
        var response = await Admin.GetAsync("/admin/api/keys/key_does_not_exist");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("key_does_not_exist")]
    [InlineData("a-very-long-id-0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789")]
    [InlineData("line%0Abreak")]
    public async Task Limits_OfAnUnknownOrHostileId_Get404Problem(string id)
    {
        var response = await Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 1, tokensPerMinute = 1, maxConcurrentRequests = 1 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    /// <summary>A revoked key is over: its limits are not changed (before: 200, and changed).</summary>
    [Fact]
    public async Task Limits_OfARevokedKey_Get409Problem_AndStayAsTheyWere()
    {
        var (id, _) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        Assert.Equal(HttpStatusCode.OK, (await Admin.PostAsync($"/admin/api/keys/{id}/revoke", null)).StatusCode);

        var response = await Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 7, tokensPerMinute = 7, maxConcurrentRequests = 7 });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("revoked", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("key_revoked", problem["code"]!.GetValue<string>());
        var key = (await Admin.GetFromJsonAsync<JsonObject>($"/admin/api/keys/{id}"))!;
        Assert.Equal(1000, key["limits"]!["requestsPerMinute"]!.GetValue<int>());
    }

    [Fact]
    public async Task Revoke_MarksTheKeyRevoked()
    {
        var (id, _) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);

        var revoked = await Admin.PostAsync($"/admin/api/keys/{id}/revoke", null);
        var again = await Admin.PostAsync($"/admin/api/keys/{id}/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonObject>())!["revoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Providers_ListNamesLocationsAndModelsButNoCredentials()
    {
        var body = await Admin.GetStringAsync("/admin/api/providers");
        var providers = JsonNode.Parse(body)!.AsArray();

        var local = providers.Single(p => p!["name"]!.GetValue<string>() == "local")!;
        Assert.Equal("on-prem", local["location"]!.GetValue<string>());
        Assert.Contains(local["models"]!.AsArray(), m => m!.GetValue<string>() == GatewayFixture.OnPremModel);
        Assert.Equal("cloud", providers.Single(p => p!["name"]!.GetValue<string>() == "cloud")!["location"]!.GetValue<string>());
        Assert.DoesNotContain("sk-provider-credential", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/api/teams", null, "Bearer")]
    [InlineData("/admin/api/keys", "Bearer wrong-token-0123456789", "Bearer")]
    [InlineData("/admin/api/providers", "Bearer ", "Bearer")]
    [InlineData("/admin/api/teams", "Basic YWRtaW46dGVzdC1hZG1pbi10b2tlbi0wMTIzNDU2Nzg5", "Bearer")]
    [InlineData("/dashboard", null, "Basic")]
    [InlineData("/dashboard", "Basic YWRtaW46d3Jvbmc=", "Basic")]
    [InlineData("/dashboard/", "Bearer test-admin-token-0123456789abcdef", "Basic")]
    public async Task AdminSurfaces_RequireTheAdminToken_AndChallengeWithOneScheme(string path, string? authorization, string scheme)
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);

        // One challenge, one scheme: Chromium shows no login prompt for "Bearer, Basic", and the API
        // must never invite a browser to cache Basic credentials.
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal(scheme, challenge.Scheme);
    }

    [Fact]
    public async Task Dashboard_OpensWithBasicCredentials()
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + GatewayHost.AdminToken)));

        var response = await http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("html", response.Content.Headers.ContentType!.MediaType!, StringComparison.Ordinal);
    }

    private static object KeyRequest(string teamId) => new
    {
        teamId,
        name = "HR assistant",
        systemPrompt = "You answer HR questions.",
        allowedModels = new[] { GatewayFixture.OnPremModel },
        classification = "sensitive",
        limits = new { requestsPerMinute = 60, tokensPerMinute = 50000, maxConcurrentRequests = 4 },
    };
}
