using System.Diagnostics;
using System.Security.Cryptography;

namespace Synapse.LoadHarness.Gateway;

/// <summary>
/// The real gateway, all-in-one, as a child process with a fresh data directory. Disposing it
/// kills the whole process tree; so does the harness's exit, however it exits.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private const int KeptOutputLines = 200;
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly Queue<string> _output = new();
    private int _disposed;

    private GatewayProcess(Process process, string dataDirectory, Uri baseUrl, string adminToken)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        AdminToken = adminToken;
    }

    public Uri BaseUrl { get; }

    public string AdminToken { get; }

    public int ProcessId => _process.Id;

    public static GatewayProcess Start(string dll, Uri upstreamBaseUrl, string model, IEnumerable<KeyValuePair<string, string>> extraEnvironment)
    {
        var ports = FreePorts.Take(3);
        var baseUrl = new Uri($"http://127.0.0.1:{ports[0]}/");
        var dataDirectory = Directory.CreateTempSubdirectory("synapse-bench-").FullName;
        var adminToken = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        var start = new ProcessStartInfo(GatewayLocator.FindDotnetHost())
        {
            ArgumentList = { dll, "--urls", baseUrl.ToString().TrimEnd('/') },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        var env = start.Environment;
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "urls", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            env.Remove(inherited);
        }

        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["Synapse__DataDirectory"] = dataDirectory;
        env["Synapse__Admin__Token"] = adminToken;
        env["Synapse__Orleans__SiloPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Synapse__Orleans__GatewayPort"] = ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["Synapse__Providers__mock__Type"] = "openai";
        env["Synapse__Providers__mock__BaseUrl"] = upstreamBaseUrl.ToString().TrimEnd('/');
        env["Synapse__Providers__mock__Location"] = "on-prem";
        env["Synapse__Providers__mock__Models__0"] = model;
        env["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in extraEnvironment)
        {
            env[name] = value;
        }

        var process = new Process { StartInfo = start };
        var gateway = new GatewayProcess(process, dataDirectory, baseUrl, adminToken);
        process.OutputDataReceived += (_, e) => gateway.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("The gateway process did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => gateway.Dispose();
        return gateway;
    }

    public async Task WaitUntilHealthyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with code {_process.ExitCode} before it was healthy.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "healthz"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The gateway was not healthy within {timeout.TotalSeconds:0} s.");
    }

    /// <summary>Processor time the gateway has used so far, for its CPU cost per request.</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>The gateway's last lines of output, for a failure report.</summary>
    public string[] RecentOutput()
    {
        lock (_output)
        {
            return [.. _output];
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }
}
