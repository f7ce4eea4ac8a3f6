namespace Synapse.Grains.Interfaces.Requests;

[GenerateSerializer, Alias("synapse.AdmissionOutcome")]
public enum AdmissionOutcome
{
    Admitted = 0,
    InvalidKey = 1,
    ModelNotAllowed = 2,
    InvalidRequest = 3,
    NoRoute = 4,
    RateLimited = 5,
    DlpBlocked = 6,
    DlpFailed = 7,
    NoOnPremRoute = 8,

    /// <summary>A model retrieve named a model that is not on the key's allowlist (or does not exist).</summary>
    ModelNotFound = 9,

    /// <summary>The key's secret is right but its approval ended (<see cref="Keys.KeyBinding.ExpiresAt"/>).</summary>
    KeyExpired = 10,
}
