using System.Diagnostics;
using Synapse.LoadHarness.Gateway;
using Synapse.LoadHarness.Load;
using Synapse.LoadHarness.Reporting;
using Synapse.LoadHarness.Upstream;

namespace Synapse.LoadHarness;

/// <summary>
/// One run, top to bottom: mock upstream, gateway child process, a key, then each scenario
/// against both paths, then the report. The gateway never outlives the run.
/// </summary>
internal sealed class HarnessRun(HarnessOptions options, string commandLine)
{
    public const string Model = "bench-model";
    private static readonly TimeSpan IdleProbe = TimeSpan.FromSeconds(3);

    public async Task<HarnessReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var dll = GatewayLocator.FindDll(options.GatewayDll);
        await using var upstream = await MockUpstream.StartAsync(options, cancellationToken);
        Console.Error.WriteLine($"mock upstream on {upstream.BaseUrl}; starting the gateway from {dll}");

        using var gateway = GatewayProcess.Start(dll, upstream.BaseUrl, Model, options.GatewayEnvironment);
        using var setup = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        string secret;
        try
        {
            await gateway.WaitUntilHealthyAsync(setup, TimeSpan.FromSeconds(options.StartupTimeoutSeconds), cancellationToken);
            secret = await GatewayAdmin.CreateKeyAsync(setup, gateway, Model, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new SetupException($"The gateway did not get ready: {e.Message}", gateway.RecentOutput());
        }

        Console.Error.WriteLine($"gateway (pid {gateway.ProcessId}) on {gateway.BaseUrl}, key created");
        var scenarios = new List<ScenarioResult>();
        foreach (var stream in options.Stream ? new[] { false, true } : [false])
        {
            scenarios.Add(await RunScenarioAsync(upstream, gateway, secret, stream, cancellationToken));
        }

        return new HarnessReport(
            startedAt,
            commandLine,
            HarnessReport.DescribeMachine(),
            options.Rate,
            options.DurationSeconds,
            options.WarmupSeconds,
            options.SliceSeconds,
            options.UpstreamLatencyMs,
            [.. options.GatewayEnvironment.Select(e => $"{e.Key}={e.Value}")],
            gateway.WorkingSetBytes() / 1024.0 / 1024.0,
            scenarios,
            gateway.RecentOutput());
    }

    private async Task<ScenarioResult> RunScenarioAsync(MockUpstream upstream, GatewayProcess gateway, string secret, bool stream, CancellationToken cancellationToken)
    {
        var body = ChatRequests.Create(Model, options.PromptChars, stream);
        var timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        using var direct = new LoadTarget("direct", new Uri(upstream.BaseUrl, "chat/completions"), null, body, stream, timeout);
        using var viaGateway = new LoadTarget("gateway", new Uri(gateway.BaseUrl, "v1/chat/completions"), secret, body, stream, timeout);
        await SmokeTestAsync(direct, gateway, cancellationToken);
        await SmokeTestAsync(viaGateway, gateway, cancellationToken);

        // What the gateway burns with no traffic at all (timers, dashboard collectors, GC): the
        // floor under its CPU per request.
        var idleStart = gateway.ProcessorTime();
        await Task.Delay(IdleProbe, cancellationToken);
        var idleCpuPercent = (gateway.ProcessorTime() - idleStart) / IdleProbe * 100;

        var name = stream ? "Chat completions, streaming" : "Chat completions, non-streaming";
        Console.Error.WriteLine($"{name}: {options.WarmupSeconds + options.DurationSeconds} s per path at {options.Rate}/s…");
        // CPU is counted over the measured phase only: warm-up still pays for JIT and tiering.
        var gatewayCpu = TimeSpan.Zero;
        var harnessCpu = TimeSpan.Zero;
        var recorders = await new OpenLoopRunner(options).RunAsync([direct, viaGateway], () =>
        {
            gatewayCpu = gateway.ProcessorTime();
            harnessCpu = Process.GetCurrentProcess().TotalProcessorTime;
        }, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        // Per request sent through the gateway; it also covers the gateway's idle work during
        // the direct slices, so it is an upper bound.
        double gatewayRequests = options.Rate * options.DurationSeconds;
        var gatewayCpuMs = (gateway.ProcessorTime() - gatewayCpu).TotalMilliseconds / gatewayRequests;
        var harnessCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - harnessCpu).TotalMilliseconds / (2 * gatewayRequests);
        return new ScenarioResult(
            name,
            stream ? "time to first byte" : "time to last byte",
            stream,
            PathResult.From(direct.Name, recorders[0], options.DurationSeconds),
            PathResult.From(viaGateway.Name, recorders[1], options.DurationSeconds),
            gatewayCpuMs,
            idleCpuPercent,
            harnessCpuMs);
    }

    /// <summary>One request per path before the clock starts, so a broken set-up fails loudly.</summary>
    private static async Task SmokeTestAsync(LoadTarget target, GatewayProcess gateway, CancellationToken cancellationToken)
    {
        using var request = target.CreateRequest();
        using var response = await target.Client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var shown = text.Length > 500 ? text[..500] + "…" : text;
            throw new SetupException($"The {target.Name} path answered {(int)response.StatusCode}: {shown}", gateway.RecentOutput());
        }
    }
}
