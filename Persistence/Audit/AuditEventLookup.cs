using System.Globalization;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>Finds an audit row's id from its event id (the uuid the API shows as <c>eventId</c>).</summary>
public sealed class AuditEventLookup(SynapseDatabase database)
{
    public async Task<long?> FindIdAsync(Guid eventId, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        object value = database.Engine == DatabaseEngine.Postgres ? eventId : eventId.ToString("D");
        await using var command = DbCommands.Create(connection, null, "SELECT id FROM audit_events WHERE event_id = @id", ("id", value));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } id and not DBNull
            ? Convert.ToInt64(id, CultureInfo.InvariantCulture)
            : null;
    }
}
