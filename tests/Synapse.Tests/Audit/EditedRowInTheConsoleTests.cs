using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

/// <summary>
/// A row a superuser edited so that no Synapse writer could have stored it (docs/audit.md, "an
/// edited row is detected") reaches the admin API of a running gateway: the page that holds it
/// names the row and how to read past it, instead of failing as an unexplained 500, and the
/// verification names the same row.
/// </summary>
[Trait("Category", "Slow")]
public sealed class EditedRowInTheConsoleTests
{
    [Fact]
    public async Task AnUnreadableRow_IsNamedOnItsPage_AndTheLogIsStillReadPastIt()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        await using var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"), dataDirectory);
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using var client = gateway.ClientFor(secret);
        var events = new List<JsonObject>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "hello" } } });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            events.AddRange(await gateway.AuditEventsOfAsync(response));
        }

        var edited = events.Where(e => e["kind"]!.GetValue<string>() == "request").Select(e => e["id"]!.GetValue<long>()).ElementAt(1);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Admin.GetAsync("/admin/api/audit")).StatusCode);

        await new SqliteAuditEngine().TamperAsync(
            SynapseDatabase.ForSqliteFile(Path.Combine(dataDirectory, "synapse.db")),
            $"UPDATE audit_events SET key_id = CAST(key_id AS BLOB) WHERE id = {edited}");
        using var page = await gateway.Admin.GetAsync("/admin/api/audit?limit=1000");

        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        Assert.Equal("application/problem+json", page.Content.Headers.ContentType!.MediaType);
        var problem = (await page.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("audit_row_unreadable", problem["code"]!.GetValue<string>());
        Assert.Equal(edited, problem["rowId"]!.GetValue<long>());
        Assert.Contains($"Audit row {edited} cannot be read: Column key_id holds Byte[]", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var older = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?limit=1000&cursor=" + problem["nextCursor"]!.GetValue<string>()))!;
        var olderIds = older["items"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()).ToList();
        Assert.NotEmpty(olderIds);
        Assert.All(olderIds, id => Assert.True(id < edited));

        using var export = await gateway.Admin.GetAsync("/admin/api/audit/export?format=jsonl", HttpCompletionOption.ResponseHeadersRead);
        // Its headers went out before the row was reached: the transfer breaks rather than ending as if whole.
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => export.Content.ReadAsStringAsync());

        var verification = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit/verify"))!;
        Assert.False(verification["ok"]!.GetValue<bool>());
        Assert.Equal(edited, verification["firstBrokenId"]!.GetValue<long>());
        Assert.Contains($"Row {edited} cannot be read", verification["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
