namespace Synapse.Grains.Interfaces.Providers;

/// <summary>A non-streamed provider answer in OpenAI's wire format, or the failure.</summary>
[GenerateSerializer, Immutable, Alias("synapse.ProviderReply")]
public sealed record ProviderReply(
    [property: Id(0)] byte[]? Body,
    [property: Id(1)] ProviderFailure? Failure);
