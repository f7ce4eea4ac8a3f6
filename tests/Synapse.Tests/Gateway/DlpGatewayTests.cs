using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>DLP in the real request path: prompts, answers, streams, policy and the try-it endpoint.</summary>
[Trait("Category", "Slow")]
public sealed class DlpGatewayTests(DlpGatewayFixture fixture) : IClassFixture<DlpGatewayFixture>
{
    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task Prompt_WithACardNumber_IsBlockedAndNeverForwarded()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([DlpGatewayFixture.EchoModel]);
        using var client = Gateway.ClientFor(secret);
        var marker = Guid.NewGuid().ToString("N");

        var response = await Chat(client, DlpGatewayFixture.EchoModel, $"{marker} pay with ４１１１\u200B1111-1111 1111 please");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dlp_blocked", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("credit_card", body, StringComparison.Ordinal);
        Assert.DoesNotContain("1111", body, StringComparison.Ordinal);
        Assert.Empty(fixture.Upstream.RequestsFor(marker));
        var events = await Gateway.AuditEventsOfAsync(response);
        var rejection = Assert.Single(events);
        Assert.Equal("dlp_blocked", rejection["outcome"]!.GetValue<string>());
        Assert.Equal("credit_card", rejection["dlpCategories"]![0]!.GetValue<string>());
        Assert.Equal("block", rejection["dlpActions"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Prompt_WithAKeyOfThisGateway_IsBlockedAndNeverForwarded()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([DlpGatewayFixture.EchoModel]);
        var (_, pasted) = await Gateway.CreateKeyAsync([DlpGatewayFixture.EchoModel]);
        using var client = Gateway.ClientFor(secret);
        var marker = Guid.NewGuid().ToString("N");

        var response = await Chat(client, DlpGatewayFixture.EchoModel, $"{marker} why does SYNAPSE_API_KEY={pasted} fail?");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dlp_blocked", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain(pasted[4..], body, StringComparison.Ordinal);
        Assert.Empty(fixture.Upstream.RequestsFor(marker));
        Assert.Equal("secret", Assert.Single(await Gateway.AuditEventsOfAsync(response))["dlpCategories"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Prompt_WithAnEmail_ReachesTheProviderRedacted()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([DlpGatewayFixture.EchoModel]);
        using var client = Gateway.ClientFor(secret);
        var marker = Guid.NewGuid().ToString("N");

        var response = await Chat(client, DlpGatewayFixture.EchoModel, $"{marker} mail bob.smith@corp.example about it");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var forwarded = Assert.Single(fixture.Upstream.RequestsFor(marker)).Body;
        Assert.Contains("[REDACTED:EMAIL]", forwarded, StringComparison.Ordinal);
        Assert.DoesNotContain("bob.smith", forwarded, StringComparison.Ordinal);
        var request = (await Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "request");
        Assert.Equal("redact", request["dlpActions"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task KeyOverride_TurnsARedactCategoryIntoABlock()
    {
        var teamId = await Gateway.CreateTeamAsync();
        var created = await Gateway.Admin.PostAsJsonAsync("/admin/api/keys", new
        {
            teamId,
            name = "strict",
            allowedModels = new[] { DlpGatewayFixture.EchoModel },
            classification = "sensitive",
            limits = new { requestsPerMinute = 100, tokensPerMinute = 100000, maxConcurrentRequests = 5 },
            dlp = new Dictionary<string, string> { ["email"] = "block" },
        });
        var unknown = await Gateway.Admin.PostAsJsonAsync("/admin/api/keys", new
        {
            teamId,
            name = "bad",
            allowedModels = new[] { DlpGatewayFixture.EchoModel },
            classification = "sensitive",
            limits = new { requestsPerMinute = 100, tokensPerMinute = 100000, maxConcurrentRequests = 5 },
            dlp = new Dictionary<string, string> { ["shoe_size"] = "block" },
        });
        var secret = (await created.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        using var client = Gateway.ClientFor(secret);

        var response = await Chat(client, DlpGatewayFixture.EchoModel, "mail bob.smith@corp.example");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("email", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("dlp.shoe_size", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_WithAnEmail_IsRedacted_AndACard_IsWithheld()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([DlpGatewayFixture.LeakyModel, DlpGatewayFixture.CardModel]);
        using var client = Gateway.ClientFor(secret);

        var leaky = await (await Chat(client, DlpGatewayFixture.LeakyModel, "who do I write to?")).Content.ReadFromJsonAsync<JsonObject>();
        var card = await Chat(client, DlpGatewayFixture.CardModel, "which card?");
        var cardAnswer = await card.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal("Sure, write to [REDACTED:EMAIL] and she will answer you today.", leaky!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("content_filter", cardAnswer!["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.DoesNotContain("4111", cardAnswer.ToJsonString(), StringComparison.Ordinal);
        var completion = (await Gateway.AuditEventsOfAsync(card)).Single(e => e["kind"]!.GetValue<string>() == "completion");
        Assert.Equal("response_filtered", completion["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamedAnswer_NeverLeaksAnEmailOrACardSplitAcrossChunks()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([DlpGatewayFixture.LeakyModel, DlpGatewayFixture.CardModel]);
        using var client = Gateway.ClientFor(secret);

        var (leakyText, leakyFinish, leakyDone) = await StreamAsync(client, DlpGatewayFixture.LeakyModel);
        var (cardText, cardFinish, cardDone) = await StreamAsync(client, DlpGatewayFixture.CardModel);

        Assert.Equal("Sure, write to [REDACTED:EMAIL] and she will answer you today.", leakyText);
        Assert.Equal("stop", leakyFinish);
        Assert.True(leakyDone);
        Assert.Equal("The card on file is ", cardText);
        Assert.Equal("content_filter", cardFinish);
        Assert.True(cardDone);
    }

    [Fact]
    public async Task RouteOnPrem_KeepsAFlaggedRequestOffTheCloud()
    {
        var put = await Gateway.Admin.PutAsJsonAsync("/admin/api/dlp/policy", new
        {
            actions = new Dictionary<string, string> { ["ip_address"] = "alert" },
            customCategories = new[] { new { name = "project_code", pattern = "PRJ-[0-9]{4}", action = "route_on_prem", maxLength = 8 } },
        });
        put.EnsureSuccessStatusCode();
        var (_, secret) = await Gateway.CreateKeyAsync([DlpGatewayFixture.CloudModel], classification: "non_sensitive");
        using var client = Gateway.ClientFor(secret);

        // Every silo re-reads the policy within five seconds: a probe with another code is sent
        // until the new category keeps it off the cloud, instead of sleeping the five seconds.
        await Eventually.HoldsAsync(async () => (await Chat(client, DlpGatewayFixture.CloudModel, "probe PRJ-0000")).StatusCode == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(15));

        var plain = await Chat(client, DlpGatewayFixture.CloudModel, "summarise the roadmap");
        var flagged = await Chat(client, DlpGatewayFixture.CloudModel, "summarise PRJ-1234");

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, flagged.StatusCode);
        Assert.Equal("no_on_prem_route", (await flagged.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(fixture.Cloud.RequestsFor("PRJ-1234"));
    }

    [Fact]
    public async Task APolicySaved_IsInForceForTheVeryNextRequest()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([DlpGatewayFixture.EchoModel]);
        using var client = Gateway.ClientFor(secret);
        var before = (await Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/dlp/policy"))!;

        // The policy is in use (read) before the change: a cached copy is what the change must beat.
        Assert.Equal(HttpStatusCode.OK, (await Chat(client, DlpGatewayFixture.EchoModel, "ticket TKT-0001")).StatusCode);
        var changed = before.DeepClone().AsObject();
        changed.Remove("version");
        changed["customCategories"] = new JsonArray(new JsonObject { ["name"] = "ticket_code", ["pattern"] = "TKT-[0-9]{4}", ["action"] = "block", ["maxLength"] = 8 });
        (await Gateway.Admin.PutAsJsonAsync("/admin/api/dlp/policy", changed)).EnsureSuccessStatusCode();
        try
        {
            var blocked = await Chat(client, DlpGatewayFixture.EchoModel, "ticket TKT-1234");
            var tested = await (await Gateway.Admin.PostAsJsonAsync("/admin/api/dlp/test", new { text = "ticket TKT-1234" })).Content.ReadFromJsonAsync<JsonObject>();

            Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
            Assert.Empty(fixture.Upstream.RequestsFor("TKT-1234"));
            Assert.Equal("ticket_code", tested!["findings"]![0]!["category"]!.GetValue<string>());
        }
        finally
        {
            before.Remove("version");
            (await Gateway.Admin.PutAsJsonAsync("/admin/api/dlp/policy", before)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task APolicySavedAsItIs_KeepsItsVersion()
    {
        var read = await Gateway.Admin.GetAsync("/admin/api/dlp/policy");
        var policy = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        policy.Remove("version");

        var saved = await Gateway.Admin.PutAsJsonAsync("/admin/api/dlp/policy", policy);

        saved.EnsureSuccessStatusCode();
        Assert.Equal(read.Headers.ETag, saved.Headers.ETag);
        Assert.Equal(read.Headers.ETag, (await Gateway.Admin.GetAsync("/admin/api/dlp/policy")).Headers.ETag);
    }

    [Fact]
    public async Task PolicyApi_RefusesABadPatternPointingAtIt_AndTestEndpointGivesOffsetsOnly()
    {
        var bad = await Gateway.Admin.PutAsJsonAsync("/admin/api/dlp/policy", new { customCategories = new[] { new { name = "broken", pattern = "([a-z]+", action = "block" } } });
        var policy = await Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/dlp/policy");
        var test = await Gateway.Admin.PostAsJsonAsync("/admin/api/dlp/test", new { text = "mail bob.smith@corp.example now" });
        var result = await test.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("customCategories[0].pattern", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("block", policy!["actions"]!["credit_card"]!.GetValue<string>());
        var finding = Assert.Single(result!["findings"]!.AsArray());
        Assert.Equal("email", finding!["category"]!.GetValue<string>());
        Assert.Equal(5, finding["start"]!.GetValue<int>());
        Assert.Equal(22, finding["length"]!.GetValue<int>());
        Assert.Equal("mail [REDACTED:EMAIL] now", result["redactedText"]!.GetValue<string>());
        Assert.DoesNotContain("bob.smith", finding.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyApi_WithIfMatch_ReplacesOnlyTheVersionItRead()
    {
        // The change is an alert-only category, and the policy is written back as it was at the end
        // (the other tests here rely on it).
        var read = await Gateway.Admin.GetAsync("/admin/api/dlp/policy");
        var policy = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        var readTag = read.Headers.ETag!.Tag;
        var original = new JsonObject { ["actions"] = policy["actions"]!.DeepClone(), ["customCategories"] = policy["customCategories"]!.DeepClone() };
        var body = original.DeepClone().AsObject();
        body["customCategories"]!.AsArray().Add(new JsonObject { ["name"] = "if_match_probe", ["pattern"] = "IFM-[0-9]{3}", ["action"] = "alert", ["maxLength"] = 8 });

        var first = await PutAsync(body, readTag);
        var stale = await PutAsync(body, readTag);
        var unknown = await PutAsync(body, "\"no-such-version\"");
        var after = await Gateway.Admin.GetAsync("/admin/api/dlp/policy");
        var any = await PutAsync(original, "*");

        Assert.Equal($"\"v{policy["version"]!.GetValue<long>()}\"", readTag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var firstTag = first.Headers.ETag!.Tag;
        Assert.Equal($"\"v{policy["version"]!.GetValue<long>() + 1}\"", firstTag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"version {policy["version"]!.GetValue<long>() + 1}", (await stale.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionFailed, unknown.StatusCode);
        Assert.Equal(firstTag, after.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
    }

    private async Task<HttpResponseMessage> PutAsync(JsonObject body, string ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/admin/api/dlp/policy") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await Gateway.Admin.SendAsync(request);
    }

    private static Task<HttpResponseMessage> Chat(HttpClient client, string model, string content) =>
        client.PostAsJsonAsync("/v1/chat/completions", new { model, messages = new[] { new { role = "user", content } } });

    private static async Task<(string Text, string? Finish, bool Done)> StreamAsync(HttpClient client, string model)
    {
        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model, stream = true, messages = new[] { new { role = "user", content = "tell me" } } });
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder();
        string? finish = null;
        foreach (var e in events.Where(e => e != "data: [DONE]"))
        {
            foreach (var choice in JsonNode.Parse(e["data: ".Length..])!["choices"]!.AsArray())
            {
                text.Append(choice!["delta"]?["content"]?.GetValue<string>());
                finish = choice["finish_reason"]?.GetValue<string>() ?? finish;
            }
        }

        return (text.ToString(), finish, events[^1] == "data: [DONE]");
    }
}
