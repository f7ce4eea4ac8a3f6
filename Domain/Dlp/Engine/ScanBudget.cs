
namespace Synapse.Dlp.Engine;

/// <summary>A deadline checked between detectors and inside long loops.</summary>
internal readonly struct ScanBudget
{
    private readonly TimeProvider _clock;
    private readonly long _started;
    private readonly TimeSpan _budget;

    public ScanBudget(TimeProvider clock, TimeSpan budget)
    {
        _clock = clock;
        _budget = budget;
        _started = clock.GetTimestamp();
    }

    /// <summary>What is left of the budget, never negative; used as a regex timeout.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = _budget - _clock.GetElapsedTime(_started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public void Check()
    {
        if (_clock is not null && _clock.GetElapsedTime(_started) > _budget)
        {
            throw new DlpScanException(DlpScanFailure.BudgetExceeded, "The DLP scan exceeded its time budget.");
        }
    }
}
