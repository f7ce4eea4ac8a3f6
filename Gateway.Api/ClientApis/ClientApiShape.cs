using Synapse.Gateway.OpenAi;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// What differs between the APIs the gateway speaks besides Chat Completions: where the key is
/// sent, the error shape, and how the internal (filtered) answer and stream read in the client's
/// format. Everything else — binding, DLP, routing, limits, audit — is the key grain's, shared.
/// </summary>
internal abstract class ClientApiShape
{
    public abstract ClientApi Api { get; }

    /// <summary>The presented key, or null when none is.</summary>
    public virtual string? ReadKey(HttpRequest request) => BearerToken.Read(request);

    public abstract Task WriteErrorAsync(HttpResponse response, OpenAiError error);

    /// <summary>A whole filtered <c>chat.completion</c> as this API's answer.</summary>
    public abstract byte[] TranslateAnswer(byte[] chatCompletion, string requestId);

    public abstract IClientStream OpenStream(string requestId, string model);
}
