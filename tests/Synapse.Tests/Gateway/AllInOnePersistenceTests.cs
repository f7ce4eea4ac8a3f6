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

        var text = await FilesTextAsync(dataDirectory);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[4..20], text, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
        Assert.Contains("Finance only.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataInAModelNameOrAUserAgent_IsMaskedInTheLog_AndNeverReachesTheFiles()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        const string card = "4111 1111 1111 1111";
        const string email = "jane.doe@example.com";
        await using (var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"), dataDirectory))
        {
            var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
            using var client = gateway.ClientFor(secret);
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", $"billing/2.1 (ops {email})");

            var chat = await client.PostAsJsonAsync("/v1/chat/completions", new { model = card, messages = new[] { new { role = "user", content = "hi" } } });
            var retrieve = await client.GetAsync($"/v1/models/{email}");

            Assert.Equal(HttpStatusCode.Forbidden, chat.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, retrieve.StatusCode);
            var rows = (await gateway.AuditEventsOfAsync(chat)).Concat(await gateway.AuditEventsOfAsync(retrieve)).ToList();
            Assert.Equal(["[REDACTED:CREDIT_CARD]", "[REDACTED:EMAIL]"], rows.Select(r => r["model"]!.GetValue<string>()));
            Assert.All(rows, r => Assert.Equal("billing/2.1 (ops [REDACTED:EMAIL])", r["userAgent"]!.GetValue<string>()));
        }

        var text = await FilesTextAsync(dataDirectory);
        Assert.Contains("[REDACTED:CREDIT_CARD]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(card, text, StringComparison.Ordinal);
        Assert.DoesNotContain(email, text, StringComparison.Ordinal);
    }

    /// <summary>The admin's custom categories are data too: a match in a model name, a user agent or a path tried is masked like a built-in finding.</summary>
    [Fact]
    public async Task ACustomCategorysMatch_InAModelNameAUserAgentOrAPath_IsMaskedInTheLog_AndNeverReachesTheFiles()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        await using (var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"), dataDirectory))
        {
            var put = await gateway.Admin.PutAsJsonAsync("/admin/api/dlp/policy", new
            {
                customCategories = new[] { new { name = "project_code", pattern = "PRJ-[0-9]{6}", action = "off", maxLength = 10 } },
            });
            put.EnsureSuccessStatusCode();
            var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
            using var client = gateway.ClientFor(secret);

            // The screen never waits for the policy grain: it takes the policy as this process last
            // read it, so a probe is sent until a model name of the new category comes back masked.
            await Eventually.HoldsAsync(
                async () => (await gateway.AuditEventsOfAsync(await client.PostAsJsonAsync("/v1/chat/completions", new { model = "PRJ-000000", messages = new[] { new { role = "user", content = "hi" } } })))
                    .All(r => r["model"]!.GetValue<string>() == "[REDACTED:PROJECT_CODE]"),
                TimeSpan.FromSeconds(15));
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "roadmap-bot (PRJ-222222)");
            var chat = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "PRJ-111111", messages = new[] { new { role = "user", content = "hi" } } });
            var path = await client.PostAsJsonAsync("/v1/files/PRJ-333333", new { });

            Assert.Equal(HttpStatusCode.Forbidden, chat.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, path.StatusCode);
            var refused = Assert.Single(await gateway.AuditEventsOfAsync(chat));
            var tried = Assert.Single(await gateway.AuditEventsOfAsync(path));
            Assert.Equal("[REDACTED:PROJECT_CODE]", refused["model"]!.GetValue<string>());
            Assert.Equal("roadmap-bot ([REDACTED:PROJECT_CODE])", refused["userAgent"]!.GetValue<string>());
            Assert.Equal("roadmap-bot ([REDACTED:PROJECT_CODE])", tried["userAgent"]!.GetValue<string>());
            Assert.Contains("POST /v1/files/[REDACTED:PROJECT_CODE]", tried["detail"]!.ToJsonString(), StringComparison.Ordinal);
        }

        var text = await FilesTextAsync(dataDirectory);
        Assert.Contains("[REDACTED:PROJECT_CODE]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRJ-111111", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRJ-222222", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRJ-333333", text, StringComparison.Ordinal);
    }

    /// <summary>A restart never hands a key a fresh minute: refused requests and token counts are rebuilt from the audit log as forwarded ones are.</summary>
    [Fact]
    public async Task Restart_RebuildsTheKeysMinute_FromTheRequestsItForwardedAndRefused()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3");
        var good = new { model = "llama3", messages = new[] { new { role = "user", content = "hello" } } };
        var card = new { model = "llama3", messages = new[] { new { role = "user", content = "pay with 4111 1111 1111 1111" } } };
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        string secret;
        var before = new List<(HttpStatusCode, string)>();
        await using (var first = await GatewayHost.StartAsync(settings, dataDirectory))
        {
            (var id, secret) = await first.CreateKeyAsync(["llama3"]);
            (await first.Admin.PutAsJsonAsync($"/admin/api/keys/{id}/limits", new { requestsPerMinute = 5, tokensPerMinute = 1_000_000, maxConcurrentRequests = 10 })).EnsureSuccessStatusCode();
            using var client = first.ClientFor(secret);
            foreach (var send in new Func<Task<HttpResponseMessage>>[]
            {
                () => client.PostAsJsonAsync("/v1/chat/completions", good),
                () => client.PostAsync("/v1/chat/completions", new StringContent("{\"model\":", System.Text.Encoding.UTF8, "application/json")),
                () => client.PostAsJsonAsync("/v1/chat/completions", card),
                () => client.PostAsJsonAsync("/v1/messages/count_tokens", good),
            })
            {
                using var response = await send();
                before.Add((response.StatusCode, Remaining(response)));
            }
        }

        await using var second = await GatewayHost.StartAsync(settings, dataDirectory);
        using var again = second.ClientFor(secret);
        using var last = await again.PostAsJsonAsync("/v1/chat/completions", good);
        using var over = await again.PostAsJsonAsync("/v1/chat/completions", good);

        Assert.Equal([(HttpStatusCode.OK, "4"), (HttpStatusCode.BadRequest, "3"), (HttpStatusCode.BadRequest, "2"), (HttpStatusCode.OK, "1")], before);
        Assert.Equal((HttpStatusCode.OK, "0"), (last.StatusCode, Remaining(last)));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
    }

    /// <summary>Every file of the data directory as text; SQLite's shared-memory file may vanish as the pool lets go of it.</summary>
    private static async Task<string> FilesTextAsync(string dataDirectory)
    {
        SqliteConnection.ClearAllPools();
        var text = new System.Text.StringBuilder();
        // The lock a running gateway holds cannot be read while it does, and is empty.
        foreach (var file in Directory.GetFiles(dataDirectory, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != Synapse.Hosting.DataDirectoryLock.FileName))
        {
            try
            {
                text.Append(System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
            }
            catch (FileNotFoundException)
            {
                // Closed and removed between the listing and the read: nothing left to hold data.
            }
        }

        return text.ToString();
    }

    private static string Remaining(HttpResponseMessage response) => response.Headers.GetValues("x-ratelimit-remaining-requests").Single();
}
