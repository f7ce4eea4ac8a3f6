using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Azure OpenAI's deployments API, for applications written against it (Azure's SDKs, the OpenAI
/// SDKs' Azure clients): <c>POST /openai/deployments/{deployment}/chat/completions</c> and
/// <c>/embeddings</c>, any <c>api-version</c>, the key in <c>api-key</c> (or
/// <c>Authorization: Bearer</c>). The wire format is OpenAI's, so the request takes the
/// <c>/v1</c> path; the deployment names the model, as it does on Azure: it replaces whatever
/// model the body names (Azure's clients repeat the deployment there, or leave it out).
/// </summary>
internal static class AzureDeployments
{
    public const string KeyHeader = "api-key";

    /// <summary>The key of an <c>api-key</c> header, else of <c>Authorization: Bearer</c>; null for two keys.</summary>
    public static string? ReadKey(HttpRequest request) => BearerToken.ReadOr(request, KeyHeader);

    /// <summary>
    /// <paramref name="body"/> naming <paramref name="deployment"/> as its model. A body that is not
    /// a JSON object (or repeats a property) is returned as it came, for the key grain's reader to
    /// refuse with its usual 400.
    /// </summary>
    public static byte[] WithModel(byte[] body, string deployment)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            // A repeated property surfaces on the object's first read, inside this block.
            if (JsonNode.Parse(body) is not JsonObject json || (json["model"] is JsonValue model && model.TryGetValue(out string? named) && named == deployment))
            {
                return body;
            }

            json["model"] = deployment;
            var written = new ArrayBufferWriter<byte>(body.Length + deployment.Length + 16);
            using (var writer = new Utf8JsonWriter(written))
            {
                json.WriteTo(writer);
            }

            return written.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return body;
        }
    }
}
