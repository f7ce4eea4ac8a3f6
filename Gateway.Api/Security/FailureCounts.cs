namespace Synapse.Gateway.Security;

/// <summary>One source's failed authentications in one window; changed only under the tally's lock.</summary>
internal sealed class FailureCounts
{
    public int Missing { get; private set; }

    public int Malformed { get; private set; }

    public int Unknown { get; private set; }

    /// <summary>How many of them were answered 429 because the source was over its limit.</summary>
    public int Throttled { get; private set; }

    public int Total => Missing + Malformed + Unknown;

    public void Add(FailureReason reason, bool throttled)
    {
        switch (reason)
        {
            case FailureReason.Missing:
                Missing++;
                break;
            case FailureReason.Malformed:
                Malformed++;
                break;
            default:
                Unknown++;
                break;
        }

        if (throttled)
        {
            Throttled++;
        }
    }

    public void Merge(FailureCounts other)
    {
        Missing += other.Missing;
        Malformed += other.Malformed;
        Unknown += other.Unknown;
        Throttled += other.Throttled;
    }
}
