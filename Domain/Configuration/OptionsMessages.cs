namespace Synapse.Configuration;

/// <summary>
/// Data-annotation messages that read after the key (<see cref="AnnotatedOptionsValidator{TOptions}"/>
/// puts the full key in front), so a failure is one line: <c>Synapse:Limits:MaxChoices must be between 1 and 128.</c>
/// </summary>
public static class OptionsMessages
{
    public const string Between = "must be between {1} and {2}.";

    public const string Required = "must be set.";
}
