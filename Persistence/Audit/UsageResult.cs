namespace Synapse.Persistence.Audit;

/// <summary>
/// The answer to a <see cref="UsageRequest"/>: bucket starts (Unix ms, UTC) and one series per
/// group with a value per bucket; the histograms of the completions in range, provider latency
/// (<c>latency_ms</c>, <see cref="LatencyBounds"/>) and gateway-added time (<c>detail.gatewayMs</c>,
/// <see cref="GatewayBounds"/>); and the id up to which the rollup had counted (newer rows were read from the log).
/// </summary>
public sealed record UsageResult(
    IReadOnlyList<long> Buckets,
    IReadOnlyList<UsageSeries> Series,
    long[] LatencyBins,
    long LatencyCount,
    long LatencySum,
    long[] GatewayBins,
    long GatewayCount,
    long GatewaySum,
    long RolledUpTo)
{
    public static IReadOnlyList<long> LatencyBounds => UsageSql.LatencyBounds;

    public static IReadOnlyList<long> GatewayBounds => UsageSql.GatewayBounds;
}

/// <summary>One group's counts, one entry per bucket. <see cref="Group"/> is null for events without that dimension (e.g. a refused unknown key has no team).</summary>
public sealed record UsageSeries(string? Group, long[] Requests, long[] PromptTokens, long[] CompletionTokens);
