using Synapse.Configuration;

namespace Synapse.Hosting;

/// <summary>
/// Turns a failure while a process is composed (its configuration read, its host built and its
/// settings checked, before the host runs) into one line on standard error and an exit code. An
/// exception escaping <c>Main</c> makes the runtime abort (exit code 134 and a stack trace), which
/// reads as a crash when the cause is a data directory that is a file or an
/// <c>appsettings.json</c> that does not parse; and there is no log yet to hold a stack trace.
/// </summary>
public static class CompositionFailure
{
    /// <summary>The exit code of something the operator must change: a setting, a path, a configuration file.</summary>
    public const int SettingExitCode = 2;

    /// <summary>Writes <paramref name="e"/>'s line to <paramref name="errors"/>; the process exit code.</summary>
    public static int Report(Exception e, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(errors);
        var (line, exitCode) = Describe(e);
        errors.WriteLine(line);
        return exitCode;
    }

    internal static (string Line, int ExitCode) Describe(Exception e) => e switch
    {
        StartupConfigurationException => (e.Message, SettingExitCode),

        // The configuration providers' "Failed to load configuration from file '…'" holds the
        // file; the parser's error, two causes down, where in it ("LineNumber: 3 | BytePositionInLine: 0").
        InvalidDataException { InnerException: { } cause } => ($"{HostRun.Describe(e)}: {cause.GetBaseException().Message}", SettingExitCode),
        _ => ($"Cannot start: {HostRun.Describe(e)}", HostRun.FailedExitCode),
    };
}
