using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Synapse.Tests.Hosting;

/// <summary>
/// SIGTERM to a real gateway process with <c>Synapse:Shutdown:DrainDelaySeconds</c>: what a load
/// balancer polling <c>/healthz/ready</c> sees. During the delay the port still takes new
/// connections, readiness answers 503 with <c>draining</c> unhealthy, and <c>/v1</c> is served as
/// usual; then the process stops as before and exits 0 within the delay and the grace period. A
/// second SIGTERM ends the delay early; without a delay (the default) the stop begins at once.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DrainDelayProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string DelayStarted = "Stopping: /healthz/ready answers 503 (draining); still serving for";
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(25);

    private MockOpenAiUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await MockOpenAiUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task DuringTheDrainDelay_ReadinessIs503Draining_AndV1IsStillServed_ThenTheProcessExits0()
    {
        var delay = TimeSpan.FromSeconds(4);
        await using var gateway = await StartAsync(delay);
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using (var warm = gateway.ClientFor(secret))
        {
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(warm, "before the stop")).StatusCode);
        }

        var clock = Stopwatch.StartNew();
        gateway.Terminate();
        await Eventually.HoldsAsync(() => gateway.Output.Contains(DelayStarted, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        // New connections, opened after the signal: the port still listens.
        using var probe = new HttpClient { BaseAddress = gateway.BaseAddress };
        using var ready = await probe.GetAsync("/healthz/ready");
        var readiness = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        using var client = gateway.ClientFor(secret);
        var marker = "during the drain delay " + Guid.NewGuid().ToString("N");
        using var during = await AskAsync(client, marker);
        var servedAt = clock.Elapsed;

        var exited = await gateway.WaitForExitAsync(delay + GracePeriod + TimeSpan.FromSeconds(10));
        var exitTime = clock.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"served {servedAt.TotalSeconds:F2} s after SIGTERM; exited after {exitTime.TotalSeconds:F2} s"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (string?)readiness["checks"]!["draining"]!["status"]);
        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        Assert.Single(_upstream.RequestsFor(marker));
        Assert.True(servedAt < delay, $"served {servedAt.TotalSeconds:F2} s after SIGTERM, after the delay");
        Assert.True(exited, "The gateway did not exit:\n" + gateway.Output);
        Assert.Equal(0, gateway.Process.ExitCode);
        Assert.True(exitTime >= delay, $"exited {exitTime.TotalSeconds:F2} s after SIGTERM, before the delay ended");
        Assert.True(exitTime < delay + GracePeriod, $"exited {exitTime.TotalSeconds:F2} s after SIGTERM");
    }

    [Fact]
    public async Task ASecondSigterm_EndsTheDrainDelayEarly()
    {
        var delay = TimeSpan.FromSeconds(120);
        await using var gateway = await StartAsync(delay);

        var clock = Stopwatch.StartNew();
        gateway.Terminate();
        await Eventually.HoldsAsync(() => gateway.Output.Contains(DelayStarted, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        gateway.Terminate();
        var exited = await gateway.WaitForExitAsync(GracePeriod + TimeSpan.FromSeconds(10));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exited {clock.Elapsed.TotalSeconds:F2} s after the first SIGTERM"));

        Assert.True(exited, "The gateway did not exit:\n" + gateway.Output);
        Assert.Equal(0, gateway.Process.ExitCode);
        Assert.Contains("Stopping: a second stop signal ended the drain delay early", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutADrainDelay_TheDefault_SigtermStopsAtOnce()
    {
        await using var gateway = await StartAsync(delay: null);

        var clock = Stopwatch.StartNew();
        gateway.Terminate();
        var exited = await gateway.WaitForExitAsync(GracePeriod + TimeSpan.FromSeconds(10));
        var exitTime = clock.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exited {exitTime.TotalSeconds:F2} s after SIGTERM"));

        Assert.True(exited, "The gateway did not exit:\n" + gateway.Output);
        Assert.Equal(0, gateway.Process.ExitCode);
        Assert.True(exitTime < TimeSpan.FromSeconds(10), $"exited {exitTime.TotalSeconds:F2} s after SIGTERM");
        Assert.DoesNotContain(DelayStarted, gateway.Output, StringComparison.Ordinal);
    }

    /// <summary>An all-in-one gateway on the mock provider, ready, with the drain's log lines shown.</summary>
    private async Task<GatewayProcess> StartAsync(TimeSpan? delay)
    {
        var settings = GatewayHost.Provider("local", _upstream.BaseUrl, "on-prem", "llama3");
        settings["Logging:LogLevel:Synapse.Hosting.Drain"] = "Information";
        if (delay is { } seconds)
        {
            settings["Synapse:Shutdown:DrainDelaySeconds"] = ((int)seconds.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        var gateway = await GatewayProcess.StartAsync(settings);
        try
        {
            await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    private static Task<HttpResponseMessage> AskAsync(HttpClient client, string text) =>
        client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = text } } });
}
