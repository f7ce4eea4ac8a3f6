using System.Diagnostics;

namespace Synapse.Tests.Infrastructure;

/// <summary>Sends a process the signal an orchestrator sends first (.NET has no managed way to send SIGTERM).</summary>
internal static class PosixSignals
{
    public static void Terminate(int processId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {processId} exited with {kill.ExitCode}.");
        }
    }
}
