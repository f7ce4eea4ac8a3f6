using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>The audit log's name for the client API a request came through (<c>AuditRecord.Api</c>).</summary>
internal static class ClientApi
{
    public static string NameOf(RequestOperation operation) => operation switch
    {
        RequestOperation.ChatCompletions => "chat.completions",
        RequestOperation.Embeddings => "embeddings",
        _ => "models",
    };
}
