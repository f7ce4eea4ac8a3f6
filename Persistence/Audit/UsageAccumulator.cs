namespace Synapse.Persistence.Audit;

/// <summary>Sums usage rows into one series per group, and the latency histograms (provider and gateway-added).</summary>
internal sealed class UsageAccumulator(long start, long size, int buckets)
{
    private readonly Dictionary<string, (long[] Requests, long[] Prompt, long[] Completion)> _series = new(StringComparer.Ordinal);

    public UsageHistogram Latency { get; private set; } = new(UsageSql.LatencyBounds.Length + 1);

    public UsageHistogram Gateway { get; private set; } = new(UsageSql.GatewayBounds.Length + 1);

    /// <summary>
    /// Adds a row's counts to its bucket of <paramref name="group"/>, and its latency when asked. A
    /// row with bucket -1 carries only the latency histograms of a whole range.
    /// </summary>
    public void Add(string group, UsageRow row, bool withLatency)
    {
        var index = IndexOf(row.Bucket);
        if (index < 0 && row.Bucket != -1)
        {
            return;
        }

        if (index >= 0)
        {
            var series = Get(group);
            series.Requests[index] += row.Requests;
            series.Prompt[index] += row.PromptTokens;
            series.Completion[index] += row.CompletionTokens;
        }

        if (withLatency)
        {
            Latency.Add(row.Latency);
            Gateway.Add(row.Gateway);
        }
    }

    /// <summary>Adds <paramref name="name"/> = the totals of <paramref name="all"/> minus every series so far, when anything is left.</summary>
    public void AddOther(UsageAccumulator all, string name)
    {
        if (!all._series.TryGetValue(UsageQuery.Total, out var total))
        {
            return;
        }

        var other = (Requests: (long[])total.Requests.Clone(), Prompt: (long[])total.Prompt.Clone(), Completion: (long[])total.Completion.Clone());
        foreach (var (_, s) in _series)
        {
            for (var i = 0; i < buckets; i++)
            {
                other.Requests[i] -= s.Requests[i];
                other.Prompt[i] -= s.Prompt[i];
                other.Completion[i] -= s.Completion[i];
            }
        }

        if (other.Requests.Any(r => r != 0) || other.Prompt.Any(r => r != 0) || other.Completion.Any(r => r != 0))
        {
            _series[name] = other;
        }
    }

    public void CopyLatency(UsageAccumulator from)
    {
        Latency = from.Latency;
        Gateway = from.Gateway;
    }

    public IReadOnlyList<UsageSeries> Series() =>
        [.. _series.OrderByDescending(s => s.Value.Requests.Sum()).Select(s => new UsageSeries(s.Key.Length == 0 ? null : s.Key, s.Value.Requests, s.Value.Prompt, s.Value.Completion))];

    private int IndexOf(long bucket)
    {
        var index = bucket < start ? -1 : (int)((bucket - start) / size);
        return index >= 0 && index < buckets ? index : -1;
    }

    private (long[] Requests, long[] Prompt, long[] Completion) Get(string group)
    {
        if (!_series.TryGetValue(group, out var series))
        {
            _series[group] = series = (new long[buckets], new long[buckets], new long[buckets]);
        }

        return series;
    }
}
