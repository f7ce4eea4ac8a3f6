using Synapse.Dlp;

namespace Synapse.Tests.Dlp;

/// <summary>
/// Scanner options for tests that are not about the time budget: the 250 ms default is a wall-clock
/// limit, and on a shared two-core machine running the whole suite a scan can be descheduled for
/// longer than that. Budget behaviour itself is tested with a fake clock (FailClosedTests).
/// </summary>
internal static class TestScanners
{
    public static DlpScannerOptions Unhurried { get; } = new() { Budget = TimeSpan.FromSeconds(30) };

    public static DlpScanner Create(DlpPolicy policy) => new(policy, Unhurried);
}
