using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synapse.Gateway.Audit;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Audit;

/// <summary>The audit admin endpoints on Kestrel over a SQLite log of 250 events (3 keys, 2 outcomes).</summary>
public sealed class AuditApiTests : IAsyncLifetime
{
    private const int EventCount = 250;
    private AuditHarness _log = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var directory = AuditHarness.NewDataDirectory();
        _log = await AuditHarness.CreateAsync(SynapseDatabase.ForSqliteFile(Path.Combine(directory, "synapse.db")), directory);
        var writer = await _log.StartWriterAsync();
        await writer.AppendAsync(Enumerable.Range(0, EventCount)
            .Select(i => AuditSamples.Simple(i, keyId: "key_" + (i % 3), outcome: i % 5 == 0 ? AuditOutcomes.DlpBlocked : AuditOutcomes.Allowed))
            .ToList());
        await writer.StopAsync(CancellationToken.None);

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_log.Store);
        builder.Services.AddSingleton(new AuditVerifier(_log.Store, _log.Manifest, _log.Chain));
        builder.Services.AddSingleton(new AuditEventLookup(_log.Database));
        builder.Services.AddSingleton(_log.Digester);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAuditProofBudget(builder.Configuration);
        _app = builder.Build();
        _app.MapGroup("/admin/api").MapAuditApi().MapAuditProveApi();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _log.DisposeAsync();
    }

    [Fact]
    public async Task Pages_WalkEveryEventNewestFirst()
    {
        var ids = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = (await _http.GetFromJsonAsync<JsonObject>("/admin/api/audit?limit=100" + (cursor is null ? "" : "&cursor=" + cursor)))!;
            ids.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(EventCount, ids.Distinct().Count());
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task Filters_SelectByKeyAndOutcome()
    {
        var page = (await _http.GetFromJsonAsync<JsonObject>("/admin/api/audit?keyId=key_1&outcome=dlp_blocked&limit=1000"))!;

        var items = page["items"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, EventCount).Count(i => i % 3 == 1 && i % 5 == 0), items.Count);
        Assert.All(items, i => Assert.Equal(("key_1", "dlp_blocked"), (i!["keyId"]!.GetValue<string>(), i["outcome"]!.GetValue<string>())));
        Assert.Null(page["nextCursor"]);
    }

    [Fact]
    public async Task TimeRange_IsInclusiveFromExclusiveTo()
    {
        var all = (await _http.GetFromJsonAsync<JsonObject>("/admin/api/audit?limit=1000"))!["items"]!.AsArray();
        var future = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O");

        var none = (await _http.GetFromJsonAsync<JsonObject>($"/admin/api/audit?from={Uri.EscapeDataString(future)}"))!["items"]!.AsArray();
        var some = (await _http.GetFromJsonAsync<JsonObject>($"/admin/api/audit?to={Uri.EscapeDataString(future)}&limit=1000"))!["items"]!.AsArray();

        Assert.Equal(EventCount, all.Count);
        Assert.Empty(none);
        Assert.Equal(EventCount, some.Count);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("outcome=DROP%20TABLE", "outcome")]
    [InlineData("sort=asc", "sort")]
    public async Task BadParameters_AreProblemDetails(string query, string field)
    {
        var response = await _http.GetAsync("/admin/api/audit?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]![field]);
    }

    /// <summary>An outcome no event has is a mistake to say, not an empty page (before: 200, no items).</summary>
    [Theory]
    [InlineData("/admin/api/audit?outcome=foo")]
    [InlineData("/admin/api/audit?outcome=blocked")]
    [InlineData("/admin/api/audit/export?format=csv&outcome=foo")]
    public async Task AnUnknownOutcome_Is400_NamingTheParameterAndTheOutcomes(string path)
    {
        var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["outcome"]![0]!.GetValue<string>();
        Assert.Contains("allowed, invalid_key", message, StringComparison.Ordinal);
        Assert.Contains("throttled", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryOutcomeTheGatewayWrites_IsAFilter()
    {
        foreach (var outcome in AuditOutcomes.All)
        {
            var response = await _http.GetAsync($"/admin/api/audit?outcome={outcome}&limit=1");

            Assert.True(response.StatusCode == HttpStatusCode.OK, outcome);
        }
    }

    [Fact]
    public async Task Export_StreamsJsonLinesAndCsv()
    {
        var jsonl = await _http.GetStringAsync("/admin/api/audit/export?format=jsonl");
        var csv = await _http.GetStringAsync("/admin/api/audit/export?format=csv");

        var lines = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(EventCount, lines.Length);
        Assert.Equal("request", JsonNode.Parse(lines[0])!["kind"]!.GetValue<string>());
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(EventCount + 1, rows.Length);
        Assert.StartsWith("id,event_id,kind,time,", rows[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/admin/api/audit/export?format=xml")).StatusCode);
    }

    [Fact]
    public async Task Verify_ReportsWhatItChecked()
    {
        var result = (await _http.GetFromJsonAsync<JsonObject>("/admin/api/audit/verify"))!;

        var newest = result["newestCheckpointAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(
            """{"ok":true,"checked":250,"partitions":1,"openPartitions":0,"legacyRows":0,"checkpoints":2,"checkpointsInDatabase":2,"checkpointsInDirectory":2}""",
            new JsonObject(result.Where(p => p.Key is not ("newestCheckpointAt" or "byPartition")).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString());
        Assert.InRange(newest, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);

        // The same per partition: the console shows it as a table.
        var partition = Assert.Single(result["byPartition"]!.AsArray())!;
        Assert.Equal(
            """{"ok":true,"checked":250,"headSeq":250,"checkpoints":2,"open":false,"legacy":false}""",
            new JsonObject(partition.AsObject().Where(p => p.Key is not ("id" or "openedAt" or "lastSignedAt")).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString());
        Assert.Equal(newest, partition["lastSignedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Verify_AfterAnEditedRow_NamesTheRowAndWhy()
    {
        var row = (await _log.RowsAsync())[100];
        await new SqliteAuditEngine().TamperAsync(_log.Database, $"UPDATE audit_events SET outcome = 'allowed', key_id = 'key_x' WHERE id = {row.Id}");

        var result = (await _http.GetFromJsonAsync<JsonObject>("/admin/api/audit/verify"))!;

        Assert.False(result["ok"]!.GetValue<bool>());
        Assert.Equal(row.Id, result["firstBrokenId"]!.GetValue<long>());
        Assert.Equal(100, result["checked"]!.GetValue<long>());
        var partition = Assert.Single(result["byPartition"]!.AsArray())!;
        Assert.False(partition["ok"]!.GetValue<bool>());
        Assert.Equal(100, partition["headSeq"]!.GetValue<long>());
        Assert.Contains("MAC", result["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ARowWithANullWhereTheWriterNeverLeavesOne_IsReportedAsBroken()
    {
        var row = (await _log.RowsAsync())[100];
        await new SqliteAuditEngine().TamperAsync(_log.Database, $"""
            CREATE TABLE t AS SELECT * FROM audit_events; DROP TABLE audit_events; ALTER TABLE t RENAME TO audit_events;
            UPDATE audit_events SET kind = NULL WHERE id = {row.Id};
            """);

        var response = await _http.GetAsync("/admin/api/audit/verify");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(result["ok"]!.GetValue<bool>());
        Assert.Equal(100, result["checked"]!.GetValue<long>());
        Assert.Contains("cannot be read", result["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    // A superuser copies another event's prompt digest into a row: its stored digest now "matches"
    // the other prompt. The row's MAC no longer does, so the proof is refused and says why; the
    // answer names the event by what the MAC covers.
    [Fact]
    public async Task Prove_ARowWithAnotherEventsDigest_NeverMatches_AndSaysTheRowIsNotIntact()
    {
        var writer = await _log.StartWriterAsync();
        await writer.AppendAsync(AuditSamples.Full(AuditEventKind.Request, AuditOutcomes.Allowed, _log.Digester, prompt: "a harmless question"));
        await writer.AppendAsync(AuditSamples.Full(AuditEventKind.Request, AuditOutcomes.Allowed, _log.Digester, prompt: "the leaked contract"));
        await writer.StopAsync(CancellationToken.None);
        var rows = await _log.RowsAsync();
        var (a, b) = (rows[^2], rows[^1]);
        var control = await ProveAsync(b.Id, "the leaked contract");

        await new SqliteAuditEngine().TamperAsync(_log.Database, $"UPDATE audit_events SET prompt_sha256 = '{b.Record.PromptSha256}' WHERE id = {a.Id}");
        var edited = await ProveAsync(a.Id, "the leaked contract");
        var byEventId = await ProveAsync(a.Record.EventId.ToString("D"), "a harmless question");

        Assert.Equal((true, "prompt", true), (control["match"]!.GetValue<bool>(), control["matched"]!.GetValue<string>(), control["rowIntact"]!.GetValue<bool>()));
        Assert.Equal((b.Record.EventId, b.PartitionId, b.Seq), (control["eventId"]!.GetValue<Guid>(), control["partitionId"]!.GetValue<string>(), control["partitionSeq"]!.GetValue<long>()));
        Assert.Equal((false, false), (edited["match"]!.GetValue<bool>(), edited["rowIntact"]!.GetValue<bool>()));
        Assert.Null(edited["matched"]);
        Assert.Equal(a.Record.EventId, edited["eventId"]!.GetValue<Guid>());
        Assert.Equal((false, false), (byEventId["match"]!.GetValue<bool>(), byEventId["rowIntact"]!.GetValue<bool>()));
        Assert.False((await _http.GetFromJsonAsync<JsonObject>("/admin/api/audit/verify"))!["ok"]!.GetValue<bool>());
    }

    private async Task<JsonObject> ProveAsync(object eventId, string text)
    {
        var response = await _http.PostAsJsonAsync("/admin/api/audit/prove", new { eventId, text });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
