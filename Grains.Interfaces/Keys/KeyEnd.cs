namespace Synapse.Grains.Interfaces.Keys;

/// <summary>Why a key is over: revoked by an admin, or past the end of its approval (<see cref="KeyBinding.ExpiresAt"/>).</summary>
public enum KeyEnd
{
    Revoked,
    Expired,
}

public static class KeyEnds
{
    /// <summary>
    /// Why <paramref name="info"/> is over at <paramref name="now"/>, or null while it serves. An
    /// expired key is over as a revoked one is: it serves nobody, and no admin change may reach it
    /// (the one check every change of a key makes, in the key's grain and at the admin API). A
    /// revocation is named first: it is the stronger, final word.
    /// </summary>
    public static KeyEnd? EndOf(this KeyInfo info, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info.RevokedAt is not null ? KeyEnd.Revoked
            : info.Binding.ExpiredAt(now) ? KeyEnd.Expired
            : null;
    }
}
