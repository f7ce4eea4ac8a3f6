namespace Synapse.Grains.Interfaces.Requests;

/// <summary>
/// A size-checked request as the front end hands it to the key grain. The body is the client's
/// JSON exactly as received: the key grain parses it and decides what may reach a provider.
/// <see cref="ClientAddress"/> and <see cref="UserAgent"/> are for the audit log only.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.AdmissionRequest")]
public sealed record AdmissionRequest(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string PresentedSecretSha256,
    [property: Id(2)] RequestOperation Operation,
    [property: Id(3)] byte[]? Body,
    [property: Id(4)] string? ClientAddress = null,
    [property: Id(5)] string? UserAgent = null)
{
    /// <summary>The API the body is written in; the key grain translates it once into Chat Completions.</summary>
    [Id(6)] public ClientApi Api { get; init; }

    /// <summary>
    /// The front end sends this request a second time: it lost the first attempt's answer (the
    /// key grain fell silent, its silo or the silo between them died). The key grain joins the
    /// first attempt when it still runs it; otherwise the request runs again, and its audit
    /// events say so (the first attempt may have reached a provider).
    /// </summary>
    [Id(7)] public bool Resent { get; init; }

    /// <summary>The model a <see cref="RequestOperation.RetrieveModel"/> names (from the path); null for the other operations, whose model is in the body.</summary>
    [Id(8)] public string? Model { get; init; }
}
