using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// One API key (grain key: the key's id). It holds the binding and the key's request state and
/// admits or refuses each request; provider calls run elsewhere and report back through
/// <see cref="Complete"/>, so a slow provider never holds this grain's turn.
/// </summary>
[Alias("synapse.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    [Alias("Initialize")]
    Task Initialize(KeyInfo info, string secretSha256);

    [Alias("GetInfo"), ReadOnly]
    Task<KeyInfo?> GetInfo();

    [Alias("Revoke")]
    Task<KeyInfo?> Revoke();

    /// <summary>Changes the key's rate limits: the one part of a binding that may change.</summary>
    [Alias("UpdateLimits")]
    Task<KeyInfo?> UpdateLimits(KeyLimits limits);

    [Alias("Admit")]
    Task<Admission> Admit(AdmissionRequest request);

    [Alias("Complete")]
    Task Complete(RequestCompletion completion);
}
