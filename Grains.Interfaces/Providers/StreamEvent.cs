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
    /// <summary>
    /// What a key grain sends while a request is still being worked on (admission, a slow model):
    /// nothing but proof that its silo is alive. Front ends skip it.
    /// </summary>
    public static StreamEvent KeepAlive { get; } = new(null, null);

    [Id(2)] public Admission? Verdict { get; init; }

    /// <summary>True for <see cref="KeepAlive"/> (an event that carries nothing).</summary>
    public bool IsKeepAlive => Data is null && Failure is null && Verdict is null;
}
