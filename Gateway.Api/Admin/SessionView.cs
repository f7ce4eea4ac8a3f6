namespace Synapse.Gateway.Admin;

/// <summary>
/// The current session: who, which role, the antiforgery token to send as <c>X-CSRF-Token</c> on
/// every unsafe request, and when it ends. With the bearer token, <see cref="CsrfToken"/> is null.
/// </summary>
public sealed record SessionView(string Username, string Role, string? CsrfToken, DateTimeOffset? ExpiresAt, int IdleTimeoutSeconds);
