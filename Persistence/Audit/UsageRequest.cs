namespace Synapse.Persistence.Audit;

/// <summary>
/// A usage question: the range [<see cref="From"/>, <see cref="To"/>) in buckets of
/// <see cref="BucketMilliseconds"/> (a minute or an hour), grouped by <see cref="GroupBy"/>
/// (<c>outcome</c>, <c>team</c>, <c>key</c>, <c>model</c>, <c>provider</c>). A team or key filter
/// goes with <c>outcome</c> only. Grouping by a dimension keeps its <see cref="Top"/> values by
/// requests and sums the rest as <c>other</c>.
/// </summary>
public sealed record UsageRequest(DateTimeOffset From, DateTimeOffset To, long BucketMilliseconds, string GroupBy, string? TeamId = null, string? KeyId = null, int Top = 10);
