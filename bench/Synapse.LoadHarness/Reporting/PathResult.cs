using Synapse.LoadHarness.Load;

namespace Synapse.LoadHarness.Reporting;

/// <summary>One path's measured requests.</summary>
/// <param name="Latency">To the last byte, or to the first byte when streaming.</param>
/// <param name="Total">To the last byte (the same as <paramref name="Latency"/> unless streaming).</param>
/// <param name="StartLag">How late the harness itself started each request: the floor of every figure.</param>
internal sealed record PathResult(
    string Name,
    int Sent,
    int Succeeded,
    int Errors,
    IReadOnlyDictionary<string, int> ErrorsByReason,
    double AchievedRate,
    LatencySummary Latency,
    LatencySummary Total,
    LatencySummary StartLag)
{
    public static PathResult From(string name, PathRecorder recorder, int measuredSeconds) => new(
        name,
        recorder.Sent,
        recorder.Succeeded,
        recorder.ErrorCount,
        new SortedDictionary<string, int>(recorder.Errors, StringComparer.Ordinal),
        recorder.Succeeded / (double)measuredSeconds,
        LatencySummary.From(recorder.Latencies),
        LatencySummary.From(recorder.Totals),
        LatencySummary.From(recorder.StartLags));
}
