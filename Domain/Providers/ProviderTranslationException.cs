
namespace Synapse.Providers;

/// <summary>
/// A request the target protocol cannot express. The message names the field, never its content,
/// and is shown to the client as an <c>invalid_request</c> failure.
/// </summary>
internal sealed class ProviderTranslationException : Exception
{
    public ProviderTranslationException()
    {
    }

    public ProviderTranslationException(string message)
        : base(message)
    {
    }

    public ProviderTranslationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
