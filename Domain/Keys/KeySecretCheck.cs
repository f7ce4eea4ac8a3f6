namespace Synapse.Keys;

/// <summary>
/// Tells which of a key's secrets — by their hashes — a request presented: the current one, the one
/// the last rotation replaced (taken until its overlap ends, not from that moment on), or neither.
/// </summary>
public static class KeySecretCheck
{
    public static PresentedSecret Of(string presentedSha256, string? currentSha256, string? previousSha256, DateTimeOffset? previousEndsAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(presentedSha256);

        // Both compared every time, in constant time: how long the check takes says nothing about
        // which secret (if any) matched.
        var current = currentSha256 is not null && ApiKeySecrets.HashesEqual(currentSha256, presentedSha256);
        var previous = previousSha256 is not null && ApiKeySecrets.HashesEqual(previousSha256, presentedSha256);
        if (current)
        {
            return PresentedSecret.Current;
        }

        if (!previous)
        {
            return PresentedSecret.Unknown;
        }

        return previousEndsAt is { } end && now < end ? PresentedSecret.Previous : PresentedSecret.Retired;
    }
}
