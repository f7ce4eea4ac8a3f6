using Synapse.Dlp;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Requests;

/// <summary>
/// A request after everything admission does before the key's limits: either a refusal, or the
/// bound, scanned and routed call with what the limiter and the audit log need.
/// </summary>
public sealed record PreparedRequest(string? Model, DlpVerdict Dlp)
{
    public Admission? Refusal { get; init; }

    public ProviderCall? Call { get; init; }

    public ProviderLocation FirstLocation { get; init; }

    /// <summary>The keyed digest of what the provider will see.</summary>
    public string? PromptDigest { get; init; }

    public int PromptTokens { get; init; }

    /// <summary>Prompt tokens plus the output the request may produce: what admission holds.</summary>
    public int ReservedTokens { get; init; }

    /// <summary>The audit rows' <c>detail</c>: client system messages and dropped fields (names only).</summary>
    public string? Detail { get; init; }

    public static PreparedRequest Refused(Admission refusal, string? model, DlpVerdict dlp, string? detail = null) => new(model, dlp) { Refusal = refusal, Detail = detail };
}
