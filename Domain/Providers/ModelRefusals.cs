using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Providers;

/// <summary>
/// The one wording of "this model does not support …", for everything a provider's protocol
/// cannot take. The client learns what in its request the model cannot take, never which kind of
/// provider, or which configured one, serves it: that is the operator's topology, and
/// <c>/v1/models</c> is all a client is shown of it. Adapters never word such a refusal themselves.
/// </summary>
internal static class ModelRefusals
{
    public const string Prefix = "This model does not support ";

    /// <summary>An operation the model's provider has no API for (embeddings on a chat-only provider).</summary>
    public static ProviderFailure Operation(RequestOperation operation) => UpstreamFailures.Invalid(Prefix + NameOf(operation) + ".");

    public static ProviderTranslationException MoreThanOneChoice() => Unsupported("more than one choice per request: 'n' must be 1");

    /// <summary>A user content part other than text and image (audio, files).</summary>
    public static ProviderTranslationException ContentPart() => Unsupported("content parts other than 'text' and 'image_url'");

    public static ProviderTranslationException Tool() => Unsupported("tools other than type 'function' with a 'name'");

    public static ProviderTranslationException EmbeddingInput() => Unsupported("embedding anything but text: 'input' must be a string or an array of strings");

    private static ProviderTranslationException Unsupported(string what) => new(Prefix + what + ".");

    private static string NameOf(RequestOperation operation) => operation switch
    {
        RequestOperation.ChatCompletions => "chat completions",
        RequestOperation.Embeddings => "embeddings",
        _ => "this operation",
    };
}
