using Synapse.Persistence.Storage;

namespace Synapse.Tests.Audit;

/// <summary>What the audit scenarios need from a database engine, including the attackers' means.</summary>
internal abstract class AuditTestEngine
{
    /// <summary>An empty database (no schema) and the data directory it belongs to.</summary>
    public abstract Task<(SynapseDatabase Database, string DataDirectory)> CreateDatabaseAsync();

    /// <summary>Runs SQL as someone who gets past the triggers (a superuser, or whoever can edit the file).</summary>
    public abstract Task TamperAsync(SynapseDatabase database, string sql);

    /// <summary>
    /// The same database reached with INSERT and SELECT on the audit tables and nothing else: on
    /// PostgreSQL a new login granted only <c>synapse_audit_writer</c>; on SQLite anyone who can
    /// open the file can do at least that.
    /// </summary>
    public abstract Task<SynapseDatabase> AsInsertOnlyWriterAsync(SynapseDatabase database);

    /// <summary>Puts the rows of a temporary table <c>swap</c> back into <c>audit_events</c> with their ids.</summary>
    public abstract string InsertSwappedSql { get; }

    /// <summary>Everything the database holds, as text (a dump, or the file's bytes).</summary>
    public abstract Task<string> DumpAsync(SynapseDatabase database);
}
