namespace Synapse.Grains.Interfaces.Keys;

[GenerateSerializer, Alias("synapse.KeyRotationOutcome")]
public enum KeyRotationOutcome
{
    Rotated = 0,
    NotFound = 1,
    Revoked = 2,
    Expired = 3,

    /// <summary>The key's secret was not the one the caller saw (<see cref="KeySecretRotation.ExpectedPrefix"/>).</summary>
    RotatedMeanwhile = 4,
}
