
namespace Synapse.Audit;

/// <summary>The audit log's settings, bound from <c>Synapse:Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Synapse:Audit";

    /// <summary>
    /// Base64 of at least 32 random bytes: the HMAC key of <c>prompt_sha256</c>/<c>response_sha256</c>.
    /// Kept outside the database. The all-in-one mode generates one into its data directory.
    /// </summary>
    public string? HashKey { get; set; }

    /// <summary>Base64 of at least 32 random bytes: signs the chain checkpoints. Kept outside the database.</summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// When true, the request path forwards a request even if its <c>request</c> event could not be
    /// made durable (it logs the failure). Off by default: the gateway answers 503 <c>audit_unavailable</c>.
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>Where signed checkpoints go (JSON lines, one file per partition). Default <c>{DataDirectory}/audit-checkpoints</c>.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>A checkpoint is written at least this often while rows are being appended.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>…and after every this many rows of a partition.</summary>
    public int CheckpointEveryRows { get; set; } = 1000;

    /// <summary>The most rows one group commit writes.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Appends waiting for a commit beyond this many are refused with <c>AuditUnavailableException</c>.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>How long an append waits for its commit before it fails with <c>AuditUnavailableException</c>.</summary>
    public TimeSpan AppendTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
