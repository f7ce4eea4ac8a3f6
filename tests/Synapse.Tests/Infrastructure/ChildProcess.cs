using System.Diagnostics;
using System.Text;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// One of the solution's executables (<c>Synapse.Silo.dll</c>, <c>Synapse.Gateway.Api.dll</c>) in
/// its own operating-system process, started with <c>dotnet exec</c> from the test's output, its
/// output kept for failure messages. It is killed when the test run ends, whatever happens.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="assembly"/> with <paramref name="settings"/> as environment variables
    /// (configuration keys, <c>:</c> written <c>__</c>) in <paramref name="workingDirectory"/>, which is
    /// also its content root: an empty one keeps any appsettings.json out of its configuration.
    /// </summary>
    public static ChildProcess Start(string assembly, IEnumerable<KeyValuePair<string, string?>> settings, string workingDirectory, params string[] arguments)
    {
        var start = StartInfo(assembly, settings, workingDirectory, arguments);
        var child = new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += child.OnTestProcessExit;
        return child;
    }

    /// <summary>Runs one command of <paramref name="assembly"/> (<c>health</c>, <c>audit verify</c>, …) to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string assembly, IEnumerable<KeyValuePair<string, string?>> settings, string workingDirectory, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(assembly, settings, workingDirectory, arguments)) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, the way a crash or an OOM kill ends it.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: what an orchestrator sends first, asking for a graceful stop.</summary>
    public void Terminate() => PosixSignals.Terminate(_process.Id);

    /// <summary>True when the process exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnTestProcessExit;
        await KillAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string assembly, IEnumerable<KeyValuePair<string, string?>> settings, string workingDirectory, string[] arguments)
    {
        Directory.CreateDirectory(workingDirectory);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test runner's own environment must not leak in (an ASPNETCORE_URLS, a log level).
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("Synapse__", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";

        // A test composes every setting itself: the working directory is the content root, so the
        // front end's appsettings.json copied next to the assemblies (with its default Ollama
        // provider) is not read, as an installed gateway started elsewhere would read it.
        start.Environment["ASPNETCORE_CONTENTROOT"] = workingDirectory;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    private void OnTestProcessExit(object? sender, EventArgs e)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
