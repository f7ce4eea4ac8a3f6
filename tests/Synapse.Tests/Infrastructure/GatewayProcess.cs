using System.Globalization;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// The front end in its own operating-system process, from Gateway.Api's real entry point: what a
/// test needs to send it SIGTERM, or to see it before its cluster is reachable (an in-process host
/// only returns once its Orleans client has connected).
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    public const string Assembly = "Synapse.Gateway.Api.dll";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly ChildProcess _process;

    private GatewayProcess(ChildProcess process, Dictionary<string, string?> settings, Uri baseAddress)
    {
        _process = process;
        Settings = settings;
        BaseAddress = baseAddress;
        Admin = GatewayApi.AdminClient(baseAddress);
    }

    public Uri BaseAddress { get; }

    public HttpClient Admin { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public ChildProcess Process => _process;

    public string Output => _process.Output;

    /// <summary>
    /// Starts a front end with <paramref name="settings"/> (its address, data directory and admin
    /// token are chosen here unless given) and returns once it answers <c>/healthz/live</c>;
    /// whether it is ready is the test's to check.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(IDictionary<string, string?> settings)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var port = FreePort.Next();
        var all = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["Synapse:DataDirectory"] = dataDirectory,
            ["Synapse:Admin:Token"] = GatewayApi.AdminToken,
            ["Synapse:Orleans:Dashboard"] = "false",

            // Never Orleans' default ports: two test processes (or a gateway someone runs on this
            // machine) on 11111 make one of them fail to start, now and then, in a parallel run.
            ["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var baseAddress = new Uri(all["urls"]!.Split(';')[0]);
        var gateway = new GatewayProcess(ChildProcess.Start(Assembly, all, dataDirectory), all, baseAddress);
        try
        {
            await gateway.WaitUntilLiveAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    public HttpClient ClientFor(string secret) => GatewayApi.ClientFor(BaseAddress, secret);

    public Task<(string Id, string Secret)> CreateKeyAsync(string[] models) => GatewayApi.CreateKeyAsync(Admin, models);

    /// <summary>Waits until <c>/healthz/ready</c> answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/healthz/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening (yet, or any more).
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The front end was not ready within {timeout.TotalSeconds} s (exited: {_process.HasExited}):\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    public void Terminate() => _process.Terminate();

    public Task<bool> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await _process.DisposeAsync();
    }

    private async Task WaitUntilLiveAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The front end exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/healthz/live");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The front end did not answer /healthz/live within {StartTimeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(200);
        }
    }
}
