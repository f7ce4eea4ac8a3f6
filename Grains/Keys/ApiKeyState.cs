using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Grains.Keys;

public sealed class ApiKeyState
{
    public KeyInfo? Info { get; set; }

    /// <summary>Lower-case hex SHA-256 of the secret; the secret itself is never stored.</summary>
    public string? SecretSha256 { get; set; }

    /// <summary>
    /// Hash of the secret the last rotation replaced: taken until <see cref="KeyInfo.PreviousSecretEndsAt"/>,
    /// then kept only to audit a refused use of it as a rotated secret. The next rotation drops it.
    /// </summary>
    public string? PreviousSecretSha256 { get; set; }
}
