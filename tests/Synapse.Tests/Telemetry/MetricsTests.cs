using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Synapse.Telemetry;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> after real traffic: the GenAI client metrics and the gateway's own series with
/// their labels, behind the admin credential (or on the management port), and no prompt, answer
/// or secret anywhere in them.
/// </summary>
[Trait("Category", "Slow")]
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterTraffic_HoldTheGatewaysSeries_BehindTheAdminCredential_AndNoPromptOrSecret()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"));
        var (keyId, secret) = await gateway.CreateKeyAsync(["llama3"]);
        var (limitedId, limitedSecret) = await gateway.CreateKeyAsync(["llama3"]);
        (await gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{limitedId}/limits", new { requestsPerMinute = 1, tokensPerMinute = 100_000, maxConcurrentRequests = 10 })).EnsureSuccessStatusCode();
        using var client = gateway.ClientFor(secret);
        using var limited = gateway.ClientFor(limitedSecret);
        using var unknown = gateway.ClientFor("syn-" + new string('b', 48));
        var marker = "metricsmarker" + Guid.NewGuid().ToString("N");

        (await client.PostAsJsonAsync("/v1/chat/completions", Chat(marker + " write to jane.doe@example.com"))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", stream = true, messages = new[] { new { role = "user", content = marker } } })).EnsureSuccessStatusCode();
        (await limited.PostAsJsonAsync("/v1/chat/completions", Chat(marker))).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await limited.PostAsJsonAsync("/v1/chat/completions", Chat(marker))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await unknown.PostAsJsonAsync("/v1/chat/completions", Chat(marker))).StatusCode);

        using var anonymous = new HttpClient { BaseAddress = gateway.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        var metrics = await ScrapeUntilAsync(gateway.Admin, m => m.Value("synapse_requests_total", ("synapse_key_id", keyId), ("synapse_outcome", "completed")) >= 2);

        Assert.NotEmpty(metrics.Series("gen_ai_client_token_usage_bucket", ("gen_ai_token_type", "input"), ("gen_ai_request_model", "llama3"), ("gen_ai_provider_name", "openai")));
        Assert.NotEmpty(metrics.Series("gen_ai_client_token_usage_bucket", ("gen_ai_token_type", "output"), ("synapse_provider_name", "local"), ("synapse_provider_location", "on-prem")));
        Assert.NotEmpty(metrics.Series("gen_ai_client_operation_duration_seconds_bucket", ("gen_ai_operation_name", "chat"), ("gen_ai_request_model", "llama3")));
        Assert.NotEmpty(metrics.Series("gen_ai_client_operation_time_to_first_chunk_seconds_bucket", ("gen_ai_request_model", "llama3")));
        Assert.Equal(2, metrics.Value("synapse_requests_total", ("synapse_key_id", keyId), ("synapse_outcome", "completed"), ("gen_ai_request_model", "llama3"), ("synapse_provider_name", "local")));
        Assert.Equal(1, metrics.Value("synapse_requests_total", ("synapse_key_id", limitedId), ("synapse_outcome", "rate_limited")));
        Assert.NotEmpty(metrics.Series("synapse_requests_total", ("synapse_outcome", "invalid_key"), ("http_response_status_code", "401")));
        Assert.NotEmpty(metrics.Series("synapse_dlp_findings_total", ("synapse_dlp_category", "email"), ("synapse_dlp_action", "redact"), ("synapse_dlp_direction", "prompt")));
        Assert.Equal(1, metrics.Value("synapse_rate_limit_refusals_total", ("synapse_key_id", limitedId), ("synapse_rate_limit_limit", "requests")));
        Assert.NotEmpty(metrics.Series("synapse_audit_append_duration_seconds_bucket", ("synapse_audit_result", "durable")));
        Assert.NotEmpty(metrics.Series("synapse_audit_batch_size_bucket"));
        Assert.NotEmpty(metrics.Series("synapse_provider_circuit_state", ("synapse_provider_name", "local")));
        Assert.NotEmpty(metrics.Series("synapse_requests_in_flight"));
        Assert.NotEmpty(metrics.Series("synapse_webhook_outbox_depth"));
        // The shipped Grafana dashboard charts series that exist, by labels that exist (a failure
        // counter appears only after its first failure).
        var dashboard = await File.ReadAllTextAsync(RepositoryFiles.PathOf("deploy", "grafana", "dashboards", "synapse.json"));
        var charted = Regex.Matches(dashboard, @"\b(?:synapse|gen_ai)_[a-z_]+\b").Select(m => m.Value).Where(n => !n.StartsWith("synapse_webhook_delivery_failures", StringComparison.Ordinal)).Distinct().ToList();
        Assert.NotEmpty(charted);
        Assert.All(charted, name => Assert.True(metrics.Text.Contains("\n" + name + "{", StringComparison.Ordinal) || metrics.Text.Contains("\n" + name + " ", StringComparison.Ordinal) || metrics.Text.Contains(name + "=", StringComparison.Ordinal), name + " is charted but not exported"));
        Assert.DoesNotContain(marker, metrics.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.doe", metrics.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[4..], metrics.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayHost.AdminToken, metrics.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAManagementPort_MetricsAndHealthAreServedThere_WithoutCredentials_AndNothingElseIs()
    {
        var port = FreePort.Next();
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Synapse:Management:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var scrape = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("synapse_", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await management.GetAsync("/healthz/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync("/admin/api/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Admin.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task AFrameworkMetric_KeepsAtMostItsSeriesLimit_TheRestInTheOverflowSeries_TheGatewaysOwnKeepThemAll()
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Synapse:Telemetry:FrameworkSeriesLimit"] = "20" });
        // Meters named as Orleans' and the gateway's own: the process's meter provider listens to both.
        using var framework = new Meter("Microsoft.Orleans");
        using var own = new Meter(GatewayTelemetry.Name);
        var name = "test_series_" + Guid.NewGuid().ToString("N")[..8];
        var frameworkCounter = framework.CreateCounter<long>(name + "_framework");
        var ownCounter = own.CreateCounter<long>(name + "_own");
        for (var i = 0; i < 50; i++)
        {
            frameworkCounter.Add(1, new KeyValuePair<string, object?>("item", i));
            ownCounter.Add(1, new KeyValuePair<string, object?>("item", i));
        }

        var metrics = await ScrapeUntilAsync(gateway.Admin, m => m.Series(name + "_own_total").Count == 50);
        var frameworkSeries = metrics.Series(name + "_framework_total");
        Assert.InRange(frameworkSeries.Count, 2, 20 + 1);
        Assert.Single(frameworkSeries, s => s.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal));
        Assert.Equal(50, metrics.Value(name + "_framework_total"));
        Assert.DoesNotContain(metrics.Series(name + "_own_total"), s => s.Contains("otel_metric_overflow", StringComparison.Ordinal));
    }

    private static object Chat(string text) => new { model = "llama3", messages = new[] { new { role = "user", content = text } } };

    /// <summary>Completions are counted just after their answers: scrapes until <paramref name="ready"/> holds.</summary>
    private static Task<PrometheusText> ScrapeUntilAsync(HttpClient admin, Func<PrometheusText, bool> ready) =>
        Eventually.ValueAsync(
            async () =>
            {
                using var response = await admin.GetAsync("/metrics");
                response.EnsureSuccessStatusCode();
                return new PrometheusText(await response.Content.ReadAsStringAsync());
            },
            ready,
            TimeSpan.FromSeconds(15));
}
