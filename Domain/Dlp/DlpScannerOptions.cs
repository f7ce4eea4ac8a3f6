
namespace Synapse.Dlp;

/// <summary>Limits for a <see cref="DlpScanner"/>.</summary>
public sealed class DlpScannerOptions
{
    /// <summary>
    /// How long one <see cref="DlpScanner.Scan(string)"/>, one <see cref="DlpScanner.ScanAll(IReadOnlyList{string})"/>
    /// or one streaming call may take before it throws <see cref="DlpScanException"/>. It is wall-clock
    /// time, so it also counts time the scan spent waiting for a core: the engine is linear and scans
    /// 1 MiB of hostile input in under 30 ms on an idle core (4 MiB, the largest default body, in
    /// about 120 ms), and the budget sits far above that so a busy machine does not turn ordinary
    /// requests into refusals. Scans run off the key grain's turn, so the budget bounds one
    /// request's work, not its key's.
    /// </summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most text a <see cref="StreamingRedactor"/> may hold back. Only chains of overlapping
    /// redact-category matches can approach it; past it the redactor fails closed.
    /// </summary>
    public int MaxHoldBack { get; set; } = 64 * 1024;

    /// <summary>The clock for the budget; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
