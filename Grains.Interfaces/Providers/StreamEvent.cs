using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// One server-sent event of a streamed answer: an OpenAI chat-completion chunk as UTF-8 JSON, or
/// the failure that ended the stream. The key grain's first event also carries its verdict.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.StreamEvent")]
public sealed record StreamEvent(
    [property: Id(0)] byte[]? Data,
    [property: Id(1)] ProviderFailure? Failure)
{
    [Id(2)] public Admission? Verdict { get; init; }
}
