namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// What a key does with the <c>system</c> and <c>developer</c> messages a client sends. The key's
/// own system prompt is always first and alone in the system role; these only decide where the
/// client's instructions go. Keys stored before the setting existed read as <see cref="Demote"/>.
/// </summary>
[GenerateSerializer, Alias("synapse.ClientSystemMessages")]
public enum ClientSystemMessages
{
    /// <summary>Kept where they were, as user-role messages labelled as the application's instructions.</summary>
    Demote = 0,

    /// <summary>Left out; the answer's <c>x-synapse-dropped-fields</c> header names them.</summary>
    Drop = 1,

    /// <summary>The request is refused with a 400 that names the first such message.</summary>
    Refuse = 2,
}
