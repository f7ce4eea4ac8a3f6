using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

[Trait("Category", "Slow")]
public sealed class AllInOnePersistenceTests
{
    [Fact]
    public async Task Restart_KeepsEveryTeamAndKey_AndStoresNoSecret()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3");
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var marker = "prompt-marker-" + Guid.NewGuid().ToString("N");

        string teamId, keyId, secret;
        await using (var first = await GatewayHost.StartAsync(settings, dataDirectory))
        {
            teamId = await first.CreateTeamAsync("Finance");
            (keyId, secret) = await first.CreateKeyAsync(["llama3"], teamId: teamId, systemPrompt: "Finance only.");
            using var client = first.ClientFor(secret);
            (await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker } } })).EnsureSuccessStatusCode();
        }

        await using var second = await GatewayHost.StartAsync(settings, dataDirectory);
        var teams = await second.Admin.GetFromJsonAsync<JsonArray>("/admin/api/teams");
        using var again = second.ClientFor(secret);
        var response = await again.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "still here" } } });

        Assert.Contains(teams!, t => t!["id"]!.GetValue<string>() == teamId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(keyId, (await second.Admin.GetFromJsonAsync<JsonObject>($"/admin/api/keys/{keyId}"))!["id"]!.GetValue<string>());

        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(dataDirectory, "*", SearchOption.AllDirectories);
        var text = string.Concat(await Task.WhenAll(files.Select(async f => System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(f)))));
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[4..20], text, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
        Assert.Contains("Finance only.", text, StringComparison.Ordinal);
    }
}
