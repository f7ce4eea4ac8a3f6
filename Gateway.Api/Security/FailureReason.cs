namespace Synapse.Gateway.Security;

/// <summary>Why a presented API key failed, as counted in the aggregated audit row (never the key itself).</summary>
public enum FailureReason
{
    /// <summary>No <c>Authorization: Bearer</c> header.</summary>
    Missing,

    /// <summary>A bearer token that is not in the gateway's key format; refused without a lookup.</summary>
    Malformed,

    /// <summary>A well-formed key that no issued key has.</summary>
    Unknown,
}
