namespace Synapse.Persistence.Accounts;

/// <summary>A signed-in session as stored: the HMAC of its id (<see cref="AccountSeals.SessionIdHash"/>), never the id itself.</summary>
public sealed record AdminSession(string IdHash, string Username, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt);
