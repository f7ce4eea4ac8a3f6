namespace Synapse.Gateway.Admin;

/// <summary>
/// A rotation's one option: how long the replaced secret keeps working, in whole seconds like every
/// other duration Synapse takes. Absent (or no body): zero, the replaced secret stops at once — the
/// safe answer to a leak; an aged key rotated on schedule gives its clients an overlap to switch.
/// </summary>
public sealed record RotateKeyRequest(int? OverlapSeconds)
{
    /// <summary>A day: long enough to roll a fleet over, short enough that a leaked secret does not live on.</summary>
    public const int MaxOverlapSeconds = 86_400;
}
