namespace Synapse.Binding;

/// <summary>What became of the client's own system and developer messages in one request.</summary>
public enum ClientSystemHandling
{
    /// <summary>The request had none.</summary>
    None,

    Demoted,

    Dropped,

    Refused,
}
