namespace Synapse.Grains.Interfaces.Requests;

/// <summary>How an admitted request ended, reported back to its key grain.</summary>
[GenerateSerializer, Immutable, Alias("synapse.RequestCompletion")]
public sealed record RequestCompletion(
    [property: Id(0)] string RequestId,
    [property: Id(1)] bool Succeeded,
    [property: Id(2)] int PromptTokens,
    [property: Id(3)] int CompletionTokens,
    [property: Id(4)] string? ServedBy = null,
    [property: Id(5)] string? FailureCode = null);
