using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Synapse.Tests.Infrastructure;

/// <summary>The admin calls tests make on a front end, in-process (<see cref="GatewayHost"/>) or not (<see cref="GatewayProcess"/>).</summary>
public static class GatewayApi
{
    public const string AdminToken = "test-admin-token-0123456789abcdef";

    public static HttpClient AdminClient(Uri baseAddress)
    {
        var admin = new HttpClient { BaseAddress = baseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return admin;
    }

    public static HttpClient ClientFor(Uri baseAddress, string secret)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public static async Task<string> CreateTeamAsync(HttpClient admin, string? name = null)
    {
        var response = await admin.PostAsJsonAsync("/admin/api/teams", new { name = name ?? "team-" + Guid.NewGuid().ToString("N")[..8] });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>Creates a key and returns (id, secret).</summary>
    public static async Task<(string Id, string Secret)> CreateKeyAsync(HttpClient admin, string[] models, string classification = "non_sensitive", string systemPrompt = "You are a test assistant.", string? teamId = null)
    {
        teamId ??= await CreateTeamAsync(admin);
        var response = await admin.PostAsJsonAsync("/admin/api/keys", new
        {
            teamId,
            name = "test key",
            systemPrompt,
            allowedModels = models,
            classification,
            limits = new { requestsPerMinute = 1000, tokensPerMinute = 1_000_000, maxConcurrentRequests = 100 },
        });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Key creation failed: {(int)response.StatusCode} {body}");
        }

        var json = JsonNode.Parse(body)!;
        return (json["id"]!.GetValue<string>(), json["key"]!.GetValue<string>());
    }
}
