using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Fields;

namespace Synapse.Tests.ClientApis;

/// <summary>Keys on the shared wire-formats gateway, with the binding a test needs.</summary>
internal static class ClientApiKeys
{
    public const string SystemPrompt = "You answer weather questions.";

    public static async Task<string> CreateAsync(WireFormatsFixture fixture, string[]? models = null, string classification = "non_sensitive", string? clientSystemMessages = null, Dictionary<string, string>? dlp = null, int requestsPerMinute = 100_000)
    {
        var request = new JsonObject
        {
            ["teamId"] = await fixture.Gateway.CreateTeamAsync(),
            ["name"] = "client-apis",
            ["systemPrompt"] = SystemPrompt,
            ["allowedModels"] = new JsonArray([.. (models ?? [.. fixture.ByType.Values.Select(v => v.Model)]).Select(m => (JsonNode)m)]),
            ["classification"] = classification,
            ["limits"] = new JsonObject { ["requestsPerMinute"] = requestsPerMinute, ["tokensPerMinute"] = 100_000_000, ["maxConcurrentRequests"] = 100 },
        };
        if (clientSystemMessages is not null)
        {
            request["clientSystemMessages"] = clientSystemMessages;
        }

        if (dlp is not null)
        {
            request["dlp"] = new JsonObject([.. dlp.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))]);
        }

        var response = await fixture.Gateway.Admin.PostAsJsonAsync("/admin/api/keys", request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["key"]!.GetValue<string>();
    }

    /// <summary>A client that sends the key as Anthropic's SDKs do, in <c>x-api-key</c>.</summary>
    public static HttpClient AnthropicClient(WireFormatsFixture fixture, string secret)
    {
        var client = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
        client.DefaultRequestHeaders.Add("x-api-key", secret);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    /// <summary>The provider's received body (the one with <paramref name="marker"/>) as JSON.</summary>
    public static JsonObject Sent(ScriptedProvider provider, string marker) => JsonNode.Parse(Assert.Single(provider.BodiesWith(marker)))!.AsObject();

    /// <summary>The audit rows of a request answered by the gateway itself (durable before the answer, so no wait).</summary>
    public static async Task<List<JsonObject>> RowsNowAsync(WireFormatsFixture fixture, HttpResponseMessage response)
    {
        var requestId = response.Headers.GetValues("x-request-id").Single();
        var page = await fixture.Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?limit=1000");
        return [.. page!["items"]!.AsArray().Select(e => e!.AsObject()).Where(e => e["requestId"]?.GetValue<string>() == requestId)];
    }

    /// <summary>A server-sent event stream as (event, data) pairs.</summary>
    public static List<(string Event, JsonObject Data)> Events(string stream) =>
    [
        .. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            var name = lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..];
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            return (name, JsonNode.Parse(data)!.AsObject());
        }),
    ];
}
