namespace Synapse.Persistence.Storage;

/// <summary>
/// What sealing grain state needs from the host: the seal key (derived from the audit signing key,
/// which the database never holds) and a directory outside the database's reach where the
/// marker <see cref="MarkerFileName"/> records that this store's rows are sealed.
/// </summary>
/// <param name="Key">The seal key: <c>AuditKeys.DeriveSealKey(<see cref="KeyPurpose"/>)</c>.</param>
/// <param name="MarkerDirectory">
/// The audit key directory all-in-one, the shared checkpoint directory in a cluster: directories
/// the database's writers are assumed not to control (docs/security.md).
/// </param>
public sealed record GrainStateSealing(byte[] Key, string MarkerDirectory)
{
    /// <summary>The purpose the seal key is derived for; a new version would seal with a new key.</summary>
    public const string KeyPurpose = "grain-state-v1";

    /// <summary>
    /// Present once every row of the store has been sealed: from then on an unsealed row is refused.
    /// Absent (the first start of a release that seals), the start seals the rows it finds first.
    /// </summary>
    public const string MarkerFileName = "grain-state-sealed";

    public string MarkerFile => Path.Combine(MarkerDirectory, MarkerFileName);

    public override string ToString() => $"{nameof(GrainStateSealing)} {{ MarkerDirectory = {MarkerDirectory} }}";
}
