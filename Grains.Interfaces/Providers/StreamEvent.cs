namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// One server-sent event of a streamed answer: an OpenAI chat-completion chunk as UTF-8 JSON, or
/// the failure that ended the stream.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.StreamEvent")]
public sealed record StreamEvent(
    [property: Id(0)] byte[]? Data,
    [property: Id(1)] ProviderFailure? Failure);
