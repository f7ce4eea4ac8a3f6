using Synapse.Persistence.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The answer of <c>GET /usage</c>: bucket starts (UTC) and, per group, one value per bucket.
/// <see cref="From"/> is rounded down and <see cref="To"/> up to whole buckets. A request is counted
/// once, in the minute it ended: refusals when refused, admitted requests at their completion.
/// </summary>
public sealed record UsageView(
    DateTimeOffset From,
    DateTimeOffset To,
    string Bucket,
    string GroupBy,
    IReadOnlyList<DateTimeOffset> Buckets,
    IReadOnlyList<UsageSeriesView> Series,
    UsageTotalsView Totals,
    LatencyView Latency,
    LatencyView GatewayLatency)
{
    public static UsageView Of(UsageResult result, DateTimeOffset from, DateTimeOffset to, string bucket, string groupBy, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(result);
        var buckets = result.Buckets.Select(DateTimeOffset.FromUnixTimeMilliseconds).ToList();
        var series = result.Series.Select(s => new UsageSeriesView(
            s.Group, s.Group is { } g && labels.TryGetValue(g, out var label) ? label : null, s.Requests.Sum(), s.Requests, s.PromptTokens, s.CompletionTokens)).ToList();
        var totals = new UsageTotalsView(series.Sum(s => s.TotalRequests), series.Sum(s => s.PromptTokens.Sum()), series.Sum(s => s.CompletionTokens.Sum()));
        var size = bucket == "minute" ? 60_000L : 3_600_000L;
        return new UsageView(
            buckets.Count > 0 ? buckets[0] : from,
            buckets.Count > 0 ? buckets[^1].AddMilliseconds(size) : to,
            bucket,
            groupBy,
            buckets,
            series,
            totals,
            LatencyView.From(result.LatencyCount, result.LatencySum, result.LatencyBins, UsageResult.LatencyBounds),
            LatencyView.From(result.GatewayCount, result.GatewaySum, result.GatewayBins, UsageResult.GatewayBounds));
    }
}

/// <summary>One group (an outcome class, or a team, key, model or provider id with its name as <see cref="Label"/>; <c>other</c> sums the rest).</summary>
public sealed record UsageSeriesView(string? Group, string? Label, long TotalRequests, long[] Requests, long[] PromptTokens, long[] CompletionTokens);

public sealed record UsageTotalsView(long Requests, long PromptTokens, long CompletionTokens);

/// <summary>
/// A latency of the completions in range, estimated from a histogram (exact to within its bin):
/// <see cref="UsageView.Latency"/> is the providers' (<c>latency_ms</c>: from the first provider
/// call's start to the end of its answer, retries and failover included),
/// <see cref="UsageView.GatewayLatency"/> the time the gateway added (<c>detail.gatewayMs</c>:
/// from the key taking the request to a complete answer, minus the providers' part).
/// <see cref="Completions"/> counts the completions that recorded it.
/// </summary>
public sealed record LatencyView(long Completions, double? MeanMs, double? P50Ms, double? P95Ms)
{
    public static LatencyView From(long count, long sum, long[] bins, IReadOnlyList<long> bounds)
    {
        ArgumentNullException.ThrowIfNull(bins);
        ArgumentNullException.ThrowIfNull(bounds);
        if (count == 0)
        {
            return new LatencyView(0, null, null, null);
        }

        return new LatencyView(count, (double)sum / count, Quantile(count, bins, bounds, 0.50), Quantile(count, bins, bounds, 0.95));
    }

    private static double Quantile(long count, long[] bins, IReadOnlyList<long> bounds, double q)
    {
        var rank = q * count;
        long seen = 0;
        for (var i = 0; i < bins.Length; i++)
        {
            var inBin = bins[i];
            if (inBin > 0 && seen + inBin >= rank)
            {
                var low = i == 0 ? 0 : bounds[i - 1];
                if (i == bounds.Count)
                {
                    return low;
                }

                return low + ((bounds[i] - low) * (rank - seen) / inBin);
            }

            seen += inBin;
        }

        return bounds[^1];
    }
}
