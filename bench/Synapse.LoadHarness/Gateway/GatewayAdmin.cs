using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Synapse.LoadHarness.Gateway;

/// <summary>Sets the gateway up for a run through its admin API: one team, one key.</summary>
internal static class GatewayAdmin
{
    public const string TeamName = "bench";

    /// <summary>Creates the team and a key bound to <paramref name="model"/>; returns the key's secret.</summary>
    public static async Task<string> CreateKeyAsync(HttpClient http, GatewayProcess gateway, string model, CancellationToken cancellationToken)
    {
        var team = await PostAsync(http, gateway, "admin/api/teams", new JsonObject { ["name"] = TeamName }, cancellationToken);
        var key = await PostAsync(http, gateway, "admin/api/keys", new JsonObject
        {
            ["teamId"] = team["id"]!.GetValue<string>(),
            ["name"] = "bench",
            ["systemPrompt"] = "You are a benchmark.",
            ["allowedModels"] = new JsonArray(model),
            ["classification"] = "sensitive",
            // Limits far above the offered load, so the harness measures latency, not refusals.
            ["limits"] = new JsonObject
            {
                ["requestsPerMinute"] = 1_000_000,
                ["tokensPerMinute"] = 1_000_000_000,
                ["maxConcurrentRequests"] = 10_000,
            },
        }, cancellationToken);
        return key["key"]!.GetValue<string>();
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, GatewayProcess gateway, string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.BaseUrl, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.AdminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"POST /{path} answered no JSON object.");
    }
}
