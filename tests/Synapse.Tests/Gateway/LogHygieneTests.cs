using System.Net;
using System.Net.Http.Json;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>With every log level switched on, no prompt, answer, key or admin token reaches a log line.</summary>
[Trait("Category", "Slow")]
public sealed class LogHygieneTests
{
    [Fact]
    public async Task TraceLogging_NeverPrintsPromptsAnswersOrSecrets()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        upstream.FailureByModel["broken"] = 500;
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3", "broken");
        settings["Logging:LogLevel:Default"] = "Trace";
        await using var gateway = await GatewayHost.StartAsync(settings);
        var (_, secret) = await gateway.CreateKeyAsync(["llama3", "broken"]);
        using var client = gateway.ClientFor(secret);
        var marker = "logmarker-" + Guid.NewGuid().ToString("N");
        var logged = CapturedLogs.Lines.Count;

        var answered = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker } } });
        var streamed = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", stream = true, messages = new[] { new { role = "user", content = marker } } });
        var failed = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "broken", messages = new[] { new { role = "user", content = marker } } });
        var blocked = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker + " card 4111 1111 1111 1111" } } });
        using var wrong = gateway.ClientFor(secret + "x");
        var refused = await wrong.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker } } });

        // Proof that every path ran (an answer and a stream carrying the prompt back, a provider
        // failure, a DLP block, a refused key), so that the absences below mean something; then
        // each request's last audit event (written after its answer) instead of a fixed sleep.
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Contains(marker, await answered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Contains(marker, await streamed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((int)failed.StatusCode >= 500, $"the broken model answered {(int)failed.StatusCode}");
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Contains("dlp_blocked", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(upstream.RequestsFor(marker).Count() >= 3);
        foreach (var response in new[] { answered, streamed, failed, blocked })
        {
            Assert.Contains(await gateway.AuditEventsOfAsync(response), e => e["kind"]!.GetValue<string>() is "completion" or "rejection" or "request");
        }

        var lines = CapturedLogs.Lines.Skip(logged).ToList();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(secret[4..], StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(GatewayHost.AdminToken, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("sk-provider-credential", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(MockOpenAiUpstream.SecretInErrors, StringComparison.Ordinal));
    }
}
