using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// A non-streamed answer in OpenAI's wire format, or the failure. From the key grain it also
/// carries the verdict that admitted or refused the request.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.ProviderReply")]
public sealed record ProviderReply(
    [property: Id(0)] byte[]? Body,
    [property: Id(1)] ProviderFailure? Failure)
{
    /// <summary>
    /// What a key grain sends while a request is still being worked on (admission, a slow model):
    /// nothing but proof that its silo is alive. A key grain's real replies always carry a verdict.
    /// </summary>
    public static ProviderReply KeepAlive { get; } = new(null, null);

    [Id(2)] public Admission? Verdict { get; init; }

    /// <summary>True for <see cref="KeepAlive"/> (a reply that carries nothing).</summary>
    public bool IsKeepAlive => Body is null && Failure is null && Verdict is null;
}
