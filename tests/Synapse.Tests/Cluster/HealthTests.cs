using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>
/// What a front end and a silo say about themselves, and what <c>/v1</c> answers, while no silo can
/// be reached: live but not ready, 503 <c>service_unavailable</c> with <c>Retry-After</c> (never a
/// 500), and a recovery without a restart when silos come (back), on new addresses too.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class HealthTests(PostgresServer postgres) : ClusterTest(postgres)
{
    [Fact]
    public async Task AFrontEndStartedBeforeAnySilo_IsLiveNotReady_Answers503WithRetryAfter_ThenServesWhenASiloJoins()
    {
        var settings = FrontEndSettings;
        settings["Synapse:Orleans:UnavailableRetrySeconds"] = "2";
        settings["Synapse:Orleans:Dashboard"] = "true";
        settings["Logging:LogLevel:Synapse.Hosting"] = "Information";
        var frontEnd = await GatewayProcess.StartAsync(settings);
        Running.Add(frontEnd);
        using var probe = new HttpClient { BaseAddress = frontEnd.BaseAddress };
        using var unknownKey = frontEnd.ClientFor("syn-" + new string('a', 48));

        var live = await probe.GetAsync("/healthz/live");
        var ready = await probe.GetAsync("/healthz/ready");
        for (var i = 0; i < 3; i++)
        {
            (await probe.GetAsync("/healthz/ready")).Dispose();
        }

        // The first request of a new process also compiles its path; the second is timed.
        (await unknownKey.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "warm-up" } } })).Dispose();
        var clock = Stopwatch.StartNew();
        var refused = await unknownKey.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "too early" } } });
        var refusedAfter = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await ready.Content.ReadFromJsonAsync<JsonObject>())!["checks"]!["cluster"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("service_unavailable", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.True(refusedAfter < TimeSpan.FromSeconds(5), $"The refusal took {refusedAfter.TotalSeconds:F1} s");

        // The operator's first steps meet the same answer, as problem details: reads and writes of
        // the admin API and the dashboard's data.
        await AssertClusterUnavailableAsync(await frontEnd.Admin.GetAsync("/admin/api/teams"));
        await AssertClusterUnavailableAsync(await frontEnd.Admin.PostAsJsonAsync("/admin/api/teams", new { name = "early" }));
        await AssertClusterUnavailableAsync(await frontEnd.Admin.GetAsync("/admin/api/providers"));
        using var dashboard = new HttpClient { BaseAddress = frontEnd.BaseAddress };
        dashboard.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + GatewayApi.AdminToken)));
        await AssertClusterUnavailableAsync(await dashboard.GetAsync("/dashboard/DashboardCounters"));

        // The silo: its own health endpoint and the command its container healthcheck runs.
        var silo = await SiloProcess.StartAsync(Settings);
        Running.Add(silo);
        using var siloProbe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.ManagementPort}") };
        var siloReady = await siloProbe.GetAsync("/healthz/ready");
        var (exitCode, healthOutput, _) = await SiloProcess.RunCommandAsync(silo.Settings.ToDictionary(), silo.DataDirectory, "health");
        Assert.Equal(HttpStatusCode.OK, siloReady.StatusCode);
        Assert.True(exitCode == 0, healthOutput);
        Assert.Contains("\"audit_writer\"", healthOutput, StringComparison.Ordinal);

        await frontEnd.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var (_, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        using var client = frontEnd.ClientFor(secret);
        var served = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "late silo" } } });
        var gatewayHealth = await ChildProcess.RunAsync(GatewayProcess.Assembly, frontEnd.Settings, frontEnd.Settings["Synapse:DataDirectory"]!, "health");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.True(gatewayHealth.ExitCode == 0, gatewayHealth.Output + gatewayHealth.Errors);
        Assert.Contains("No silo of cluster", frontEnd.Output, StringComparison.Ordinal);
        Assert.Contains("Connected to cluster", frontEnd.Output, StringComparison.Ordinal);

        // Readiness in the log: one line when it changed, not an error per probe.
        var output = frontEnd.Output;
        Assert.Single(Regex.Matches(output, "Not ready: cluster: "));
        Assert.True(output.IndexOf("Not ready: cluster: ", StringComparison.Ordinal) < output.IndexOf("Ready: every readiness check passes", StringComparison.Ordinal), output);
        Assert.DoesNotContain("Microsoft.Extensions.Diagnostics.HealthChecks", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhenEverySiloIsGone_V1Answers503WithRetryAfter_AndTheFrontEndRecoversOnNewAddresses()
    {
        var first = await SiloProcess.StartAsync(Settings);
        Running.Add(first);
        var settings = FrontEndSettings;
        settings["Synapse:Orleans:UnavailableRetrySeconds"] = "2";
        var frontEnd = await GatewayHost.StartAsync(settings);
        Running.Add(frontEnd);
        var (_, secret) = await frontEnd.CreateKeyAsync(["llama3"]);
        using var client = frontEnd.ClientFor(secret);
        client.Timeout = TimeSpan.FromSeconds(30);
        (await client.PostAsJsonAsync("/v1/chat/completions", Chat("before"))).EnsureSuccessStatusCode();

        await first.KillAsync();
        var refused = await client.PostAsJsonAsync("/v1/chat/completions", Chat("nobody home"));
        var notReady = await frontEnd.Admin.GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("service_unavailable", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        await AssertClusterUnavailableAsync(await frontEnd.Admin.GetAsync("/admin/api/keys"));

        // The Messages API says the same in Anthropic's shape.
        var refusedMessages = await client.PostAsJsonAsync("/v1/messages", new { model = "llama3", max_tokens = 16, messages = new[] { new { role = "user", content = "nobody home" } } });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedMessages.StatusCode);
        Assert.NotNull(refusedMessages.Headers.RetryAfter);
        Assert.Equal("error", (await refusedMessages.Content.ReadFromJsonAsync<JsonObject>())!["type"]!.GetValue<string>());

        // The silo comes back as a restarted container does: the same silo endpoint (so Orleans
        // declares the dead generation dead at once instead of probing it) with a new gateway
        // port, which the front end must find through the membership table without a restart.
        var restart = new Dictionary<string, string?>(Settings) { ["Synapse:Orleans:SiloPort"] = first.SiloPort.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        Running.Add(await SiloProcess.StartAsync(restart));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage again;
        while ((again = await client.PostAsJsonAsync("/v1/chat/completions", Chat("after"))).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
            await Task.Delay(250);
        }

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await frontEnd.Admin.GetAsync("/healthz/ready")).StatusCode);
    }

    /// <summary>503 problem details with <c>Retry-After</c> and the code <c>cluster_unavailable</c>: never a 500.</summary>
    private static async Task AssertClusterUnavailableAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("cluster_unavailable", JsonNode.Parse(body)!["code"]!.GetValue<string>());
    }

    private static object Chat(string text) => new { model = "llama3", messages = new[] { new { role = "user", content = text } } };
}
