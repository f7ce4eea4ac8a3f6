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
}
