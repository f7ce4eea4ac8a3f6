namespace Synapse.Gateway.Security;

/// <summary>The failed authentications of one audit window, by source.</summary>
internal sealed record FailureWindow(DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<string, FailureCounts> Counts);
