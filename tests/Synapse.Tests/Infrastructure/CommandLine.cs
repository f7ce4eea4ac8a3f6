using System.Diagnostics;

namespace Synapse.Tests.Infrastructure;

/// <summary>A program run to its end, as a test's step: its standard output, or a failed assertion with its errors.</summary>
public static class CommandLine
{
    /// <summary>
    /// Runs <paramref name="program"/>; <paramref name="environment"/> adds variables to the test's
    /// own, and a null value removes one.
    /// </summary>
    public static async Task<string> RunAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var (exitCode, output, errors) = await ExecuteAsync(program, workingDirectory, environment, arguments);
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', arguments)} exited {exitCode}: {errors}");
        return output;
    }

    /// <summary>As <see cref="RunAsync"/>, for a step whose failure is the point: its exit code, output and errors.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> ExecuteAsync(string program, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
