
namespace Synapse.Dlp.Engine;

/// <summary>Collects candidates for the detector that is running, and carries the budget.</summary>
internal sealed class CandidateSink(ScanBudget budget)
{
    private int _sinceCheck;

    public List<Candidate> Candidates { get; } = [];

    public int Detector { get; set; }

    public ScanBudget Budget { get; } = budget;

    public void Add(int start, int end, bool certain = false) => Candidates.Add(new Candidate(start, end, Detector, certain));

    /// <summary>Called from detector loops; reads the clock only every few thousand steps.</summary>
    public void Tick()
    {
        if (++_sinceCheck >= 4096)
        {
            _sinceCheck = 0;
            Budget.Check();
        }
    }
}
