
namespace Synapse.Audit;

/// <summary>The audit log's settings, bound from <c>Synapse:Audit</c> and checked at start (<see cref="Validate"/>).</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Synapse:Audit";

    /// <summary>
    /// Base64 of at least 32 random bytes: the HMAC key of <c>prompt_sha256</c>/<c>response_sha256</c>.
    /// Kept outside the database. Without it, all-in-one mode generates one into <see cref="KeyDirectory"/>.
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>
    /// Base64 of at least 32 random bytes: the row MACs and the manifest are keyed with keys derived
    /// from it. Kept outside the database and outside the data directory. Without it, all-in-one
    /// mode generates one into <see cref="KeyDirectory"/>; a cluster must configure it on every silo
    /// and front end.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Where all-in-one mode keeps the keys it generates: owner-only files, deliberately not in the
    /// data directory beside the database. Default: <c>{DataDirectory}-audit-keys</c>, the directory
    /// beside it (<c>data-audit-keys</c> next to <c>data</c>), whoever runs the gateway.
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>
    /// When true, the request path forwards a request even if its <c>request</c> event could not be
    /// made durable (it logs the failure). Off by default: the gateway answers 503 <c>audit_unavailable</c>.
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>
    /// The manifest's copy outside the database (one JSON-lines file per partition). Default
    /// <c>{DataDirectory}/audit-checkpoints</c> in all-in-one mode; required in a cluster, where it
    /// must be one directory that every silo writes and every front end reads.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>A partition's head is signed at least this often while rows are being appended.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>…and after every this many rows of a partition.</summary>
    public int CheckpointEveryRows { get; set; } = 1000;

    /// <summary>The most rows one group commit writes.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Appends waiting for a commit beyond this many are refused with <c>AuditUnavailableException</c>.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>How long an append waits for its commit before it fails with <c>AuditUnavailableException</c>.</summary>
    public TimeSpan AppendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an event nothing waits on (one written after its client has the answer: a
    /// completion, a rejected request) may wait for a later event to share its commit. A request's
    /// event, which must be durable before the provider sees the prompt, commits at once and takes
    /// the waiting ones with it, so under steady traffic a request costs one commit, not two.
    /// Zero commits every event at once. A crash loses at most this much of such events (their
    /// requests' own events are durable).
    /// </summary>
    public TimeSpan DeferrableCommitDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The first setting that is out of range, as one line naming its key; null when all are valid.</summary>
    public string? Validate() =>
        CheckpointInterval <= TimeSpan.Zero || CheckpointInterval > TimeSpan.FromDays(1)
            ? Invalid(nameof(CheckpointInterval), "a positive time span of at most a day (e.g. 00:01:00): rows after the last signed checkpoint are the ones a truncation can take unnoticed")
        : CheckpointEveryRows < 1 ? Invalid(nameof(CheckpointEveryRows), "at least 1")
        : MaxBatchSize < 1 ? Invalid(nameof(MaxBatchSize), "at least 1")
        : QueueCapacity < 1 ? Invalid(nameof(QueueCapacity), "at least 1")
        : AppendTimeout <= TimeSpan.Zero ? Invalid(nameof(AppendTimeout), "a positive time span (e.g. 00:00:10)")
        : DeferrableCommitDelay < TimeSpan.Zero || DeferrableCommitDelay >= AppendTimeout
            ? Invalid(nameof(DeferrableCommitDelay), $"zero or a positive time span below {nameof(AppendTimeout)} (e.g. 00:00:00.020)")
        : null;

    private static string Invalid(string name, string expectation) => $"{SectionName}:{name} must be {expectation}.";
}
