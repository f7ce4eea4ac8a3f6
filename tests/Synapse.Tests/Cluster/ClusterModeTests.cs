using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>
/// The cluster mode for real: two headless silos and two client-mode front ends sharing one
/// PostgreSQL server that the test starts itself.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class ClusterModeTests(PostgresServer postgres) : ClusterTest(postgres)
{
    [Fact]
    public async Task TwoSilosAndTwoFrontEnds_ServeOneKeyAndShareItsRotationAndRevocation()
    {
        Running.Add(await SiloHost.StartAsync(Settings));
        Running.Add(await SiloHost.StartAsync(Settings));
        var clientSettings = FrontEndSettings;
        var first = await GatewayHost.StartAsync(clientSettings);
        Running.Add(first);
        var second = await GatewayHost.StartAsync(clientSettings);
        Running.Add(second);

        var (keyId, secret) = await first.CreateKeyAsync(["llama3"], classification: "sensitive");
        var options = new OpenAIClientOptions { Endpoint = second.V1, RetryPolicy = new ClientRetryPolicy(0) };
        ChatCompletion answer = await new ChatClient("llama3", new ApiKeyCredential(secret), options).CompleteChatAsync([new UserChatMessage("across the cluster")]);
        var keysSeenBySecond = (await second.Admin.GetFromJsonAsync<JsonObject>("/admin/api/keys"))!["items"]!.AsArray();

        Assert.Equal("echo: across the cluster", answer.Content[0].Text);
        Assert.Contains(keysSeenBySecond!, k => k!["id"]!.GetValue<string>() == keyId);

        // A rotation through the first front end stops the old secret on the second, which has it
        // cached (it just served it): the key grain decides, not a front end's cache.
        var rotation = await first.Admin.PostAsJsonAsync($"/admin/api/keys/{keyId}/rotate", new { overlapSeconds = 0 });
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        var rotated = (await rotation.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        using (var oldViaSecond = second.ClientFor(secret))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await oldViaSecond.GetAsync("/v1/models")).StatusCode);
        }

        using var viaSecond = second.ClientFor(rotated);
        Assert.Equal(HttpStatusCode.OK, (await viaSecond.GetAsync("/v1/models")).StatusCode);

        (await first.Admin.PostAsync($"/admin/api/keys/{keyId}/revoke", null)).EnsureSuccessStatusCode();
        var refused = await viaSecond.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task AFrontEndStartedBeforeAnySilo_WaitsForOne_ThenServes()
    {
        var clusterId = Settings["Synapse:Orleans:ClusterId"]!;
        var starting = GatewayHost.StartAsync(FrontEndSettings);

        // It has tried the cluster and found no silo (its retry filter says so) — and waits on.
        await Eventually.HoldsAsync(() => CapturedLogs.Lines.Any(l => l.Contains($"No silo of cluster {clusterId} answered yet", StringComparison.Ordinal)), TimeSpan.FromSeconds(60));
        Assert.False(starting.IsCompleted);

        Running.Add(await SiloHost.StartAsync(Settings));
        var frontEnd = await starting.WaitAsync(TimeSpan.FromSeconds(60));
        Running.Add(frontEnd);
        var (_, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        using var client = frontEnd.ClientFor(secret);
        using var answer = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "late silo" } } });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains(CapturedLogs.Lines, l => l.Contains($"No silo of cluster {clusterId} answered yet", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFrontEndWithNoSilo_GivesUpAfterItsConnectTimeout_Saying()
    {
        var settings = FrontEndSettings;
        settings["Synapse:Orleans:ConnectTimeoutSeconds"] = "3";
        var clusterId = settings["Synapse:Orleans:ClusterId"]!;

        await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(settings));

        Assert.Contains(CapturedLogs.Lines, l => l.Contains($"No silo of cluster {clusterId} answered within 3 s", StringComparison.Ordinal) && l.Contains("dotnet run --project Silo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClusterState_SurvivesAFullRestart()
    {
        var silo = await SiloHost.StartAsync(Settings);
        var clientSettings = FrontEndSettings;
        var frontEnd = await GatewayHost.StartAsync(clientSettings);
        var (keyId, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        await frontEnd.DisposeAsync();
        await silo.DisposeAsync();

        Running.Add(await SiloHost.StartAsync(Settings));
        var restarted = await GatewayHost.StartAsync(clientSettings);
        Running.Add(restarted);
        using var client = restarted.ClientFor(secret);

        var models = await client.GetFromJsonAsync<JsonObject>("/v1/models");
        var key = await restarted.Admin.GetFromJsonAsync<JsonObject>($"/admin/api/keys/{keyId}");

        Assert.Equal("llama3", models!["data"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(keyId, key!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestsPerMinute_IsExact_AcrossTwoFrontEndsAndTwoSilos()
    {
        Running.Add(await SiloHost.StartAsync(Settings));
        Running.Add(await SiloHost.StartAsync(Settings));
        var clientSettings = FrontEndSettings;
        var first = await GatewayHost.StartAsync(clientSettings);
        Running.Add(first);
        var second = await GatewayHost.StartAsync(clientSettings);
        Running.Add(second);
        var (keyId, secret) = await first.CreateKeyAsync(["llama3"]);
        (await first.Admin.PutAsJsonAsync($"/admin/api/keys/{keyId}/limits", new { requestsPerMinute = 50, tokensPerMinute = 10_000_000, maxConcurrentRequests = 1000 })).EnsureSuccessStatusCode();
        using var viaFirst = first.ClientFor(secret);
        using var viaSecond = second.ClientFor(secret);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 500).Select(async i =>
        {
            using var response = await (i % 2 == 0 ? viaFirst : viaSecond).PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "burst " + i } } });
            return response.StatusCode;
        }));

        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(450, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(50, Upstream.Requests.Count(r => r.Body.Contains("burst ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RateWindow_IsRebuiltFromTheAuditLog_WhenTheKeysSiloGoesAway()
    {
        var silo = await SiloHost.StartAsync(Settings);
        var clientSettings = FrontEndSettings;
        var frontEnd = await GatewayHost.StartAsync(clientSettings);
        var (keyId, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        (await frontEnd.Admin.PutAsJsonAsync($"/admin/api/keys/{keyId}/limits", new { requestsPerMinute = 50, tokensPerMinute = 10_000_000, maxConcurrentRequests = 1000 })).EnsureSuccessStatusCode();
        using (var client = frontEnd.ClientFor(secret))
        {
            for (var i = 0; i < 30; i++)
            {
                (await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "before" } } })).EnsureSuccessStatusCode();
            }
        }

        await frontEnd.DisposeAsync();
        await silo.DisposeAsync();
        Running.Add(await SiloHost.StartAsync(Settings));
        var restarted = await GatewayHost.StartAsync(clientSettings);
        Running.Add(restarted);
        using var again = restarted.ClientFor(secret);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var response = await again.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "after" } } });
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
    }

    [Fact]
    public async Task AuditStoreDown_FailsRequestsClosedWith503_AndForwardsNothing()
    {
        Running.Add(await SiloHost.StartAsync(Settings));
        var frontEnd = await GatewayHost.StartAsync(FrontEndSettings);
        Running.Add(frontEnd);
        var (_, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        using var client = frontEnd.ClientFor(secret);

        var refused = await WhileTheAuditStoreIsDownAsync(() => client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "while-audit-down" } } }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("audit_unavailable", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(Upstream.RequestsFor("while-audit-down"));
        var recovered = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "after-recovery" } } });
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task AuditStoreDown_RefusesAdminChangesWith503_ButStillRevokes()
    {
        Running.Add(await SiloHost.StartAsync(Settings));
        var frontEnd = await GatewayHost.StartAsync(FrontEndSettings);
        Running.Add(frontEnd);
        var (keyId, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        var teamName = "unaudited-" + Guid.NewGuid().ToString("N")[..8];

        var (teamRefused, limitsRefused, revoked) = await WhileTheAuditStoreIsDownAsync(async () => (
            await frontEnd.Admin.PostAsJsonAsync("/admin/api/teams", new { name = teamName }),
            await frontEnd.Admin.PutAsJsonAsync($"/admin/api/keys/{keyId}/limits", new { requestsPerMinute = 1, tokensPerMinute = 1, maxConcurrentRequests = 1 }),
            await frontEnd.Admin.PostAsync($"/admin/api/keys/{keyId}/revoke", null)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, teamRefused.StatusCode);
        Assert.Equal("application/problem+json", teamRefused.Content.Headers.ContentType!.MediaType);
        Assert.Equal("audit_unavailable", (await teamRefused.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, limitsRefused.StatusCode);
        var teams = await frontEnd.Admin.GetFromJsonAsync<JsonArray>("/admin/api/teams");
        Assert.DoesNotContain(teams!, t => t!["name"]!.GetValue<string>() == teamName);
        var key = await frontEnd.Admin.GetFromJsonAsync<JsonObject>($"/admin/api/keys/{keyId}");
        Assert.Equal(1000, key!["limits"]!["requestsPerMinute"]!.GetValue<int>());

        // Stopping a key never waits for the audit log.
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        using var client = frontEnd.ClientFor(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/models")).StatusCode);
    }

    [Fact]
    public async Task TheWholeDatabase_HoldsNoPromptAnswerOrKeyInPlaintext()
    {
        Running.Add(await SiloHost.StartAsync(Settings));
        var frontEnd = await GatewayHost.StartAsync(FrontEndSettings);
        Running.Add(frontEnd);
        var (_, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        using var client = frontEnd.ClientFor(secret);
        var marker = "marker-" + Guid.NewGuid().ToString("N");
        using var plain = (await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker } } })).EnsureSuccessStatusCode();
        using var streamed = (await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", stream = true, messages = new[] { new { role = "user", content = marker + "-streamed" } } })).EnsureSuccessStatusCode();

        // Completion events are written just after the answers: the dump waits until both are in.
        foreach (var answered in new[] { plain, streamed })
        {
            Assert.Contains(await frontEnd.AuditEventsOfAsync(answered), e => e["kind"]!.GetValue<string>() == "completion");
        }

        var dump = new System.Text.StringBuilder();
        await using var connection = new Npgsql.NpgsqlConnection(Settings["ConnectionStrings:Postgres"]);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = new Npgsql.NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                dump.AppendLine(rows.GetString(0));
            }
        }

        var text = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(dump.ToString()));
        Assert.Contains("audit_events", string.Join(",", tables), StringComparison.Ordinal);
        Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[4..20], text, StringComparison.Ordinal);
        Assert.DoesNotContain("echo:", text, StringComparison.Ordinal);
    }

}
