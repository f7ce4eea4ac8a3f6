using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;
using Synapse.Tests.Storage;

namespace Synapse.Tests.Gateway;

/// <summary>
/// Someone who can write the database (not the key directory) rewrites a key's stored binding
/// while the gateway is down: the next start must refuse the key, never serve the altered binding.
/// </summary>
[Trait("Category", "Slow")]
public sealed class TamperedGrainStateTests
{
    private const string KeyRows = "synapse.api-key.key";

    [Fact]
    public async Task AKeyWhoseStoredBindingWasRewritten_IsRefused_AndItsPromptNeverReachesTheCloud()
    {
        await using var onPrem = await MockOpenAiUpstream.StartAsync();
        await using var cloud = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", onPrem.BaseUrl, "on-prem", "llama3")
            .Concat(GatewayHost.Provider("cloud", cloud.BaseUrl, "cloud", "gpt-4o"))
            .ToDictionary();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        string keyId, secret;
        await using (var first = await GatewayHost.StartAsync(settings, dataDirectory))
        {
            (keyId, secret) = await first.CreateKeyAsync(["llama3"], classification: "sensitive");
            using var client = first.ClientFor(secret);
            (await client.PostAsJsonAsync("/v1/chat/completions", Chat("llama3", "before"))).EnsureSuccessStatusCode();
        }

        // The attack: the sensitive key becomes a non-sensitive key allowed a cloud model.
        var tampered = "tampered-" + Guid.NewGuid().ToString("N");
        var database = SynapseDatabase.FromConfiguration(new ConfigurationBuilder().Build(), dataDirectory);
        await StoredStateRows.EditStateAsync(database, KeyRows, keyId, state =>
        {
            var binding = state["Info"]!["Binding"]!.AsObject();
            binding["AllowedModels"] = new JsonArray("llama3", "gpt-4o");
            binding["Classification"] = 1;
            binding["SystemPrompt"] = tampered;
        });
        SqliteConnection.ClearAllPools();

        await using var second = await GatewayHost.StartAsync(settings, dataDirectory);
        using var again = second.ClientFor(secret);
        var marker = "sensitive-" + Guid.NewGuid().ToString("N");
        using var response = await again.PostAsJsonAsync("/v1/chat/completions", Chat("gpt-4o", marker));
        var body = await response.Content.ReadAsStringAsync();

        // The server's own state is broken, not the client's request: the failing key grain's
        // answer as for any failure of the gateway's own, in OpenAI's shape, with its audit row.
        Assert.Empty(cloud.RequestsFor(marker));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal("internal_error", error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()), body);
        Assert.DoesNotContain(marker, body, StringComparison.Ordinal);
        var row = Assert.Single(await second.AuditEventsOfAsync(response));
        Assert.Equal("gateway_error", row["outcome"]!.GetValue<string>());
        Assert.Contains(CapturedLogs.Lines, line => line.Contains("synapse.api-key.key", StringComparison.Ordinal) && line.Contains(keyId, StringComparison.Ordinal) && line.Contains("refused", StringComparison.Ordinal));
        var alert = await Eventually.ValueAsync(
            async () => (await second.Admin.GetFromJsonAsync<JsonObject>("/admin/api/alerts?type=grain_state_tampered"))!["items"]!.AsArray(),
            items => items.Count > 0,
            TimeSpan.FromSeconds(10));
        Assert.Contains(keyId, Assert.Single(alert)!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(tampered, alert.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(CapturedLogs.Lines, line => line.Contains(tampered, StringComparison.Ordinal) || line.Contains(marker, StringComparison.Ordinal));
    }

    private static object Chat(string model, string content) =>
        new { model, messages = new[] { new { role = "user", content } } };
}
