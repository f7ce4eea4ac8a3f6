using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Grains.Interfaces.Audit;

/// <summary>
/// One audit event as the request path (or the admin API) hands it over. It never carries a
/// prompt, an answer or a key: <see cref="PromptSha256"/> and <see cref="ResponseSha256"/> are
/// keyed digests (see <c>AuditDigester</c>), and the writer rejects anything that is not 64
/// lower-case hex digits there. <see cref="EventId"/> makes appends idempotent: a record appended
/// twice (a retried call) is stored once.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] AuditEventKind Kind,
    [property: Id(2)] DateTimeOffset Time,
    [property: Id(3)] string Outcome)
{
    [Id(4)] public string? RequestId { get; init; }

    [Id(5)] public string? KeyId { get; init; }

    [Id(6)] public string? TeamId { get; init; }

    [Id(7)] public string? Model { get; init; }

    /// <summary>The configured provider name the request was routed to.</summary>
    [Id(8)] public string? Provider { get; init; }

    [Id(9)] public ProviderLocation? ProviderLocation { get; init; }

    [Id(10)] public int? HttpStatus { get; init; }

    /// <summary>DLP categories found (e.g. <c>email</c>, <c>iban</c>): names only, never the matches.</summary>
    [Id(11)] public IReadOnlyList<string>? DlpCategories { get; init; }

    /// <summary>DLP actions taken (e.g. <c>redact</c>, <c>block</c>).</summary>
    [Id(12)] public IReadOnlyList<string>? DlpActions { get; init; }

    [Id(13)] public string? PromptSha256 { get; init; }

    [Id(14)] public string? ResponseSha256 { get; init; }

    [Id(15)] public int? PromptTokens { get; init; }

    [Id(16)] public int? CompletionTokens { get; init; }

    [Id(17)] public long? LatencyMs { get; init; }

    /// <summary>Admin events: who acted (the admin principal's name, never a token).</summary>
    [Id(18)] public string? Actor { get; init; }

    /// <summary>Admin events: what was done, e.g. <c>key.create</c>, <c>key.revoke</c>, <c>team.create</c>.</summary>
    [Id(19)] public string? Action { get; init; }

    /// <summary>Admin events: the id of what was changed, e.g. a key id (never its secret).</summary>
    [Id(20)] public string? Target { get; init; }

    /// <summary>The client API the request came through, e.g. <c>chat.completions</c>, <c>embeddings</c>, <c>models</c>.</summary>
    [Id(21)] public string? Api { get; init; }

    /// <summary>The client's address as the front end saw it (an admin's or a caller's), never a header it could forge.</summary>
    [Id(22)] public string? ClientAddress { get; init; }

    /// <summary>The client's <c>User-Agent</c>, cut to the field limit.</summary>
    [Id(23)] public string? UserAgent { get; init; }

    /// <summary>
    /// A small JSON object of further facts that carry no prompt, answer or secret: field names a
    /// request had dropped, how client system messages were handled, an admin change's before and
    /// after with secrets masked.
    /// </summary>
    [Id(24)] public string? Detail { get; init; }

    /// <summary>How many occurrences this one row stands for (aggregated events such as failed authentications); null means one.</summary>
    [Id(25)] public int? Count { get; init; }

    /// <summary>A new record with a fresh (time-ordered) event id.</summary>
    public static AuditRecord Create(AuditEventKind kind, string outcome, DateTimeOffset time) =>
        new(Guid.CreateVersion7(time), kind, time, outcome);
}
