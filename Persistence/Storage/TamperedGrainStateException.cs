namespace Synapse.Persistence.Storage;

/// <summary>
/// A grain's stored state did not verify against its seal: it was written or changed outside
/// Synapse (or sealed with another signing key), so it is not used and the grain does not
/// activate. The message names the grain and the state, never what the row holds.
/// </summary>
public sealed class TamperedGrainStateException : Exception
{
    public TamperedGrainStateException()
    {
    }

    public TamperedGrainStateException(string message)
        : base(message)
    {
    }

    public TamperedGrainStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TamperedGrainStateException(GrainId grainId, string scopedStateName, string problem)
        : base($"The stored state {scopedStateName} of grain {grainId} is not used: {problem}. It was written or changed outside Synapse, or sealed with another signing key (docs/security.md).")
    {
    }
}
