using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Grains.Keys;

public sealed class ApiKeyState
{
    public KeyInfo? Info { get; set; }

    /// <summary>Lower-case hex SHA-256 of the secret; the secret itself is never stored.</summary>
    public string? SecretSha256 { get; set; }
}
