namespace Synapse.Grains.Interfaces.Dlp;

/// <summary>The organisation's DLP policy (key <see cref="SingletonKey"/>).</summary>
[Alias("synapse.IDlpPolicyGrain")]
public interface IDlpPolicyGrain : IGrainWithStringKey
{
    public const string SingletonKey = "dlp";

    [Alias("Get"), ReadOnly]
    Task<DlpPolicyDocument> Get();

    /// <summary>Replaces the policy after compiling it; an invalid one is refused, naming the field.</summary>
    [Alias("Put")]
    Task<DlpPolicyUpdate> Put(DlpPolicyDocument policy);

    /// <summary>
    /// Replaces the policy only while it is still at <paramref name="expectedVersion"/>, the one
    /// its editor read: two admins editing at once must not silently undo each other's change.
    /// Otherwise nothing changes and <see cref="DlpPolicyUpdate.CurrentVersion"/> names the version
    /// that is current.
    /// </summary>
    [Alias("PutIfVersion")]
    Task<DlpPolicyUpdate> Put(DlpPolicyDocument policy, long expectedVersion);
}
