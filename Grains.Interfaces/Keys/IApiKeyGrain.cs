using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// One API key (grain key: the key's id): its binding and its request state, and the owner of
/// every request made with it. The front end hands a request over once; the grain admits it,
/// has the provider called and hands the answer back, so the body crosses one grain boundary each
/// way. Requests interleave: the grain's own turns are short (the limits), and the heavy work of
/// a request (binding, DLP, the provider call) runs outside them.
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

    /// <summary>
    /// Changes the key's rate limits: the one part of a binding that may change, until the key is
    /// over, revoked or expired (<see cref="KeyEnds.EndOf"/>; such a key is returned as it was; null for no key).
    /// </summary>
    [Alias("UpdateLimits")]
    Task<KeyInfo?> UpdateLimits(KeyLimits limits);

    /// <summary>
    /// Gives the key a new secret: the same id, binding, limits and history. The secret it replaces
    /// keeps working for the overlap; one replaced before that (a rotation during an overlap) stops
    /// at once. A revoked or expired key, or one rotated since the caller looked, is not rotated.
    /// </summary>
    [Alias("Rotate")]
    Task<KeyRotationResult> Rotate(KeySecretRotation rotation);

    /// <summary>
    /// A non-streamed request (chat completions, embeddings, the model list): one reply, the
    /// verdict and the filtered answer or the failure when it was admitted.
    /// </summary>
    /// <remarks>
    /// A sequence of one rather than a <see cref="Task{T}"/>: the call lasts as long as the model
    /// takes, and Orleans answers a pending element with a heartbeat every half response timeout,
    /// so the caller's response timeout bounds how long it waits for a silo that has died, not for
    /// the model (whose own timeout is the provider's).
    /// </remarks>
    [Alias("SendOnce"), AlwaysInterleave]
    IAsyncEnumerable<ProviderReply> Send(AdmissionRequest request);

    /// <summary>
    /// A streamed chat completion. The first event carries the verdict; a refusal is that event
    /// alone, an admitted request's first event also carries the first chunk (or the failure).
    /// </summary>
    [Alias("Stream"), AlwaysInterleave]
    IAsyncEnumerable<StreamEvent> Stream(AdmissionRequest request, CancellationToken cancellationToken = default);
}
