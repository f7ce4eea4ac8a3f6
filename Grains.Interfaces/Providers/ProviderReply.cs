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
    [Id(2)] public Admission? Verdict { get; init; }
}
