namespace Synapse.Gateway.Security;

/// <summary>A session just started: <see cref="Id"/> goes into the cookie and nowhere else.</summary>
public sealed record IssuedSession(string Id, string CsrfToken, string Username, string Role, DateTimeOffset ExpiresAt);
