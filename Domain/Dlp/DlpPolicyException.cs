
namespace Synapse.Dlp;

/// <summary>
/// A policy was refused. <see cref="Field"/> points at the offending setting (for example
/// <c>customCategories[2].pattern</c>) so an admin endpoint can return a 400 naming it; the message
/// says what is wrong. Neither ever contains scanned text.
/// </summary>
public sealed class DlpPolicyException : Exception
{
    public DlpPolicyException()
    {
        Field = string.Empty;
    }

    public DlpPolicyException(string message)
        : base(message)
    {
        Field = string.Empty;
    }

    public DlpPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    public DlpPolicyException(string field, string message, Exception? innerException = null)
        : base($"{field}: {message}", innerException)
    {
        Field = field;
        Problem = message;
    }

    /// <summary>The path of the refused setting, e.g. <c>customCategories[0].name</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it, without the field path.</summary>
    public string Problem { get; } = string.Empty;
}
