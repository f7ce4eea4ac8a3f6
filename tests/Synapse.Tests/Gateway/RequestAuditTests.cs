using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>Every request through the real front end leaves its audit events, rejected ones too.</summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class RequestAuditTests(GatewayFixture fixture)
{
    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task AdmittedRequest_LeavesARequestAndACompletionEvent()
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = Gateway.ClientFor(secret);

        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "audit me" } } });
        var events = await Gateway.AuditEventsOfAsync(response);

        var request = events.Single(e => e["kind"]!.GetValue<string>() == "request");
        var completion = events.Single(e => e["kind"]!.GetValue<string>() == "completion");
        Assert.Equal("allowed", request["outcome"]!.GetValue<string>());
        Assert.Equal(keyId, request["keyId"]!.GetValue<string>());
        Assert.Equal("local", request["provider"]!.GetValue<string>());
        Assert.Equal("on-prem", request["providerLocation"]!.GetValue<string>(), ignoreCase: true);
        Assert.Matches("^[0-9a-f]{64}$", request["promptSha256"]!.GetValue<string>());
        Assert.Equal("completed", completion["outcome"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", completion["responseSha256"]!.GetValue<string>());
        Assert.True(completion["completionTokens"]!.GetValue<int>() > 0);
        Assert.True(request["id"]!.GetValue<long>() < completion["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task EveryRejection_LeavesOneEventWithItsOutcome()
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel, GatewayFixture.FailingModel]);
        (await Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{keyId}/limits", new { requestsPerMinute = 5, tokensPerMinute = 1_000_000, maxConcurrentRequests = 10 })).EnsureSuccessStatusCode();
        using var client = Gateway.ClientFor(secret);

        // Unknown keys are audited per address and window instead (FailedAuthenticationTests).
        var expectations = new List<(HttpResponseMessage Response, string Kind, string Outcome)>
        {
            (await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.CloudModel, messages = new[] { new { role = "user", content = "x" } } }), "rejection", "model_not_allowed"),
            (await client.PostAsync("/v1/chat/completions", new StringContent("{broken", Encoding.UTF8, "application/json")), "rejection", "invalid_request"),
            (await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.FailingModel, messages = new[] { new { role = "user", content = "x" } } }), "completion", "upstream_error"),
        };
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "x" } } });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                expectations.Add((response, "rejection", "rate_limited"));
                break;
            }
        }

        Assert.Contains(expectations, e => e.Outcome == "rate_limited");

        foreach (var (response, kind, outcome) in expectations)
        {
            var events = await Gateway.AuditEventsOfAsync(response);
            Assert.Contains(events, e => e["kind"]!.GetValue<string>() == kind && e["outcome"]!.GetValue<string>() == outcome && e["httpStatus"]!.GetValue<int>() == (int)response.StatusCode);
        }
    }

    [Fact]
    public async Task AdminChanges_AreAudited()
    {
        var (keyId, _) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        (await Gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{keyId}/limits", new { requestsPerMinute = 7, tokensPerMinute = 1_000, maxConcurrentRequests = 1 })).EnsureSuccessStatusCode();
        (await Gateway.Admin.PostAsync($"/admin/api/keys/{keyId}/revoke", null)).EnsureSuccessStatusCode();

        var page = await Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?limit=1000");

        var events = page!["items"]!.AsArray().Where(e => e!["target"]?.GetValue<string>() == keyId).Select(e => (Action: e!["action"]!.GetValue<string>(), Outcome: e["outcome"]!.GetValue<string>())).ToList();
        Assert.Contains(("key.create", "succeeded"), events);
        Assert.Contains(("key.revoke", "succeeded"), events);

        // Newest first: a change's announcement is recorded before the change is made.
        Assert.Equal([("key.revoke", "succeeded"), ("key.limits", "succeeded"), ("key.limits", "requested"), ("key.create", "succeeded")], events);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheAnswerTheClientRead_ProvesAgainstItsCompletionEvent(bool stream)
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = Gateway.ClientFor(secret);

        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = GatewayFixture.OnPremModel, stream, messages = new[] { new { role = "user", content = "prove what I read" } } });
        var body = await response.Content.ReadAsStringAsync();
        var read = stream
            ? string.Concat(body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e != "data: [DONE]")
                .SelectMany(e => JsonNode.Parse(e["data: ".Length..])!["choices"]!.AsArray()).Select(c => c!["delta"]?["content"]?.GetValue<string>()))
            : JsonNode.Parse(body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.Equal("echo: prove what I read", read);
        var completion = (await Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "completion");

        var proved = await Prove(completion["id"]!.GetValue<long>(), read);
        var other = await Prove(completion["id"]!.GetValue<long>(), read + ".");

        Assert.True(proved["match"]!.GetValue<bool>(), proved.ToJsonString());
        Assert.Equal("response", proved["matched"]!.GetValue<string>());
        Assert.False(other["match"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TheChainVerifies_AfterTraffic()
    {
        var verify = await Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit/verify");

        Assert.True(verify!["ok"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.True(verify["checked"]!.GetValue<long>() > 0);
    }

    [Theory]
    [InlineData("""{"eventId":"\ud800","text":"x"}""")] // a lone surrogate: not a string .NET can read
    [InlineData("""{"eventId":{"id":1},"text":"x"}""")]
    [InlineData("""{"eventId":"not-an-id","text":"x"}""")]
    [InlineData("""{"text":"x"}""")]
    public async Task AProofWithoutAReadableEventId_Is400NamingTheField(string body)
    {
        var response = await Gateway.Admin.PostAsync("/admin/api/audit/prove", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["eventId"]);
    }

    private async Task<JsonObject> Prove(long eventId, string text)
    {
        var response = await Gateway.Admin.PostAsJsonAsync("/admin/api/audit/prove", new { eventId, text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
