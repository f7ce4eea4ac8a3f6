
namespace Synapse.Alerts.Outbox;

/// <summary>
/// How one delivery attempt ended: the row's new <see cref="State"/>, the receiver's status (null
/// when there was no answer) and a short error code (<c>timeout</c>, <c>redirect</c>,
/// <c>http_status</c>, <c>refused_target</c>, <c>connection_failed</c>, <c>webhook_not_configured</c>).
/// </summary>
public sealed record AttemptResult(string State, DateTimeOffset At, int? Status, string? Error, DateTimeOffset? NextAttemptAt);
