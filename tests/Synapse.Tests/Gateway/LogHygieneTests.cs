using System.Net.Http.Json;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>With every log level switched on, no prompt, answer, key or admin token reaches a log line.</summary>
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

        await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker } } });
        await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", stream = true, messages = new[] { new { role = "user", content = marker } } });
        await client.PostAsJsonAsync("/v1/chat/completions", new { model = "broken", messages = new[] { new { role = "user", content = marker } } });
        await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker + " card 4111 1111 1111 1111" } } });
        using var wrong = gateway.ClientFor(secret + "x");
        await wrong.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = marker } } });
        await Task.Delay(500);

        var lines = CapturedLogs.Lines.Skip(logged).ToList();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(secret[4..], StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(GatewayHost.AdminToken, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("sk-provider-credential", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(MockOpenAiUpstream.SecretInErrors, StringComparison.Ordinal));
    }
}
