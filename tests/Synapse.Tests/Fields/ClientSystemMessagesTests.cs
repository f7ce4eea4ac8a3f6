using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;

namespace Synapse.Tests.Fields;

/// <summary>
/// Issue 16 §1: a client's system and developer messages (LangChain's templates, LlamaIndex's
/// context chat engine, the AI SDK's <c>system:</c>) are handled as the key says — demoted under
/// the key's system prompt by default, dropped with a header, or refused with a 400 — and the
/// audit row says which.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class ClientSystemMessagesTests(WireFormatsFixture fixture)
{
    [Theory]
    [InlineData(null)]
    [InlineData("demote")]
    public async Task Demote_KeepsTheContextAsLabelledUserText_UnderTheBoundSystemPrompt(string? mode)
    {
        using var client = await fixture.ClientAsync(mode);
        var (response, sent) = await SendAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = sent!["messages"]!.AsArray();
        Assert.Equal(["system", "user", "user", "user"], messages.Select(m => m!["role"]!.GetValue<string>()).ToArray());
        Assert.Equal("You answer weather questions.", messages[0]!["content"]!.GetValue<string>());
        Assert.Equal(MessageBinder.DemotedLabel("system") + "\n\nUse this context: Paris is sunny today.", messages[1]!["content"]!.GetValue<string>());
        Assert.StartsWith(MessageBinder.DemotedLabel("developer"), messages[2]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains(DroppedFields.HeaderName));
        var request = (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "request");
        Assert.Equal("""{"clientSystemMessages":"demoted"}""", request["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnAKeyWithoutASystemPrompt_NeitherTheLabelNorTheRefusalClaimsOne()
    {
        using var client = await fixture.ClientAsync("demote", systemPrompt: "");
        var (response, sent) = await SendAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = sent!["messages"]!.AsArray();
        Assert.Equal(["user", "user", "user"], messages.Select(m => m!["role"]!.GetValue<string>()).ToArray());
        Assert.Equal(MessageBinder.DemotedLabel("system", underSystemPrompt: false) + "\n\nUse this context: Paris is sunny today.", messages[0]!["content"]!.GetValue<string>());
        Assert.DoesNotContain("takes precedence", sent.ToJsonString(), StringComparison.Ordinal);

        using var refusing = await fixture.ClientAsync("refuse", systemPrompt: "");
        var (refused, _) = await SendAsync(refusing);
        var message = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("clientSystemMessages: refuse", message, StringComparison.Ordinal);
        Assert.DoesNotContain("system prompt", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drop_LeavesThemOut_AndSaysSoInTheHeaderAndTheAuditRow()
    {
        using var client = await fixture.ClientAsync("drop");
        var (response, sent) = await SendAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("messages[0], messages[1]", response.Headers.GetValues(DroppedFields.HeaderName).Single());
        Assert.DoesNotContain("Paris is sunny", sent!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(["system", "user"], sent["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()).ToArray());
        var request = (await fixture.Gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "request");
        Assert.Equal("""{"clientSystemMessages":"dropped","droppedFields":["messages[0]","messages[1]"]}""", request["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refuse_Answers400NamingTheMessage_AndForwardsNothing()
    {
        using var client = await fixture.ClientAsync("refuse");
        var (response, sent) = await SendAsync(client);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("messages[0]", error["param"]!.GetValue<string>());
        Assert.Contains("clientSystemMessages", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(sent);
        var rejection = Assert.Single(await fixture.Gateway.AuditEventsOfAsync(response));
        Assert.Equal("invalid_request", rejection["outcome"]!.GetValue<string>());
        Assert.Equal("""{"clientSystemMessages":"refused","error":{"code":"invalid_request_error","param":"messages[0]"}}""", rejection["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownMode_IsRefusedWhenTheKeyIsCreated()
    {
        var response = await fixture.Gateway.Admin.PostAsJsonAsync("/admin/api/keys", new
        {
            teamId = await fixture.Gateway.CreateTeamAsync(),
            name = "bad",
            allowedModels = new[] { fixture.ByType["openai"].Model },
            classification = "non_sensitive",
            limits = new { requestsPerMinute = 1, tokensPerMinute = 1, maxConcurrentRequests = 1 },
            clientSystemMessages = "ignore",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("clientSystemMessages", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(HttpResponseMessage Response, JsonObject? Sent)> SendAsync(HttpClient client)
    {
        var (model, provider) = fixture.ByType["openai"];
        var marker = "s" + Guid.NewGuid().ToString("N");
        var response = await client.PostScannedAsync("/v1/chat/completions", new
        {
            model,
            messages = new object[]
            {
                new { role = "system", content = "Use this context: Paris is sunny today." },
                new { role = "developer", content = "Answer in one sentence." },
                new { role = "user", content = "What is the weather in Paris? " + marker },
            },
        });
        var sent = provider.BodiesWith(marker).LastOrDefault();
        return (response, sent is null ? null : JsonNode.Parse(sent)!.AsObject());
    }
}
