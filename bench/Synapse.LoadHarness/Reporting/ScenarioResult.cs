namespace Synapse.LoadHarness.Reporting;

/// <summary>Both paths of one scenario and what the gateway adds over the direct path.</summary>
internal sealed record ScenarioResult(
    string Name,
    string Metric,
    bool Stream,
    PathResult Direct,
    PathResult Gateway,
    double GatewayCpuMsPerRequest,
    double GatewayIdleCpuPercent,
    double HarnessCpuMsPerRequest)
{
    public double AddedP50 => Gateway.Latency.P50 - Direct.Latency.P50;

    public double AddedP90 => Gateway.Latency.P90 - Direct.Latency.P90;

    public double AddedP99 => Gateway.Latency.P99 - Direct.Latency.P99;

    public double AddedMean => Gateway.Latency.Mean - Direct.Latency.Mean;

    /// <summary>The foundation issue's budget applies to the non-streaming scenario only.</summary>
    public bool? BudgetMet => Stream
        ? null
        : AddedP50 <= HarnessOptions.BudgetAddedP50Ms && AddedP99 <= HarnessOptions.BudgetAddedP99Ms;
}
