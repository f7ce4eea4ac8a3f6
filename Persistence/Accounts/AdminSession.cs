namespace Synapse.Persistence.Accounts;

/// <summary>A signed-in session as stored: the SHA-256 of its id, never the id itself.</summary>
public sealed record AdminSession(string IdHash, string Username, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt);
