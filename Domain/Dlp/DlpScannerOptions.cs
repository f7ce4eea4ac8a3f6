
namespace Synapse.Dlp;

/// <summary>Limits for a <see cref="DlpScanner"/>.</summary>
public sealed class DlpScannerOptions
{
    /// <summary>
    /// How long one <see cref="DlpScanner.Scan(string)"/>, one <see cref="DlpScanner.ScanAll(IReadOnlyList{string})"/>
    /// or one streaming call may take before it throws <see cref="DlpScanException"/>. The engine scans
    /// 1 MiB of hostile input in well under this.
    /// </summary>
    public TimeSpan Budget { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The most text a <see cref="StreamingRedactor"/> may hold back. Only chains of overlapping
    /// redact-category matches can approach it; past it the redactor fails closed.
    /// </summary>
    public int MaxHoldBack { get; set; } = 64 * 1024;

    /// <summary>The clock for the budget; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
