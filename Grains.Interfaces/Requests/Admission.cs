namespace Synapse.Grains.Interfaces.Requests;

/// <summary>
/// The key grain's verdict on a request: admitted (with the model list, for a listing), or a
/// refusal with a client-safe message. Either way it carries the key's limits as they stand, for
/// the <c>x-ratelimit-*</c> headers. A refusal has already been audited when the client sees it.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.Admission")]
public sealed record Admission(
    [property: Id(0)] AdmissionOutcome Outcome,
    [property: Id(1)] string? Message,
    [property: Id(2)] string? Param,
    [property: Id(4)] IReadOnlyList<string>? Models,
    [property: Id(5)] RateLimitSnapshot? RateLimits = null,
    [property: Id(6)] TimeSpan? RetryAfter = null)
{
    /// <summary>
    /// What the binding left out of an admitted request (field names only), for the answer's
    /// <c>x-synapse-dropped-fields</c> header. (Ids 3 and 7 belonged to removed fields.)
    /// </summary>
    [Id(8)] public IReadOnlyList<string>? DroppedFields { get; init; }

    public static Admission Refuse(AdmissionOutcome outcome, string message, string? param = null) =>
        new(outcome, message, param, null);
}
