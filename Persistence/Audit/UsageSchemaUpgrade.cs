using System.Data.Common;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>
/// Brings <c>usage_minutes</c> and <c>usage_hours</c> created before the gateway-added time was
/// rolled up to the current columns (<see cref="MissingColumns"/>): the gateway histogram
/// (<c>gateway_count, gateway_sum, g0..g11</c>). Rows already rolled up get 0: their completions
/// carried no gateway-added time.
/// </summary>
internal static class UsageSchemaUpgrade
{
    private static readonly (string Name, string Postgres, string Sqlite)[] AddedColumns =
        [.. new[] { "gateway_count", "gateway_sum" }.Concat(UsageSql.GatewayBinColumns.Split(", "))
            .Select(name => (name, "bigint NOT NULL DEFAULT 0", "INTEGER NOT NULL DEFAULT 0"))];

    public static async Task AddMissingColumnsAsync(DbConnection connection, DbTransaction transaction, DatabaseEngine engine, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "usage_minutes", "usage_hours" })
        {
            await MissingColumns.AddAsync(connection, transaction, engine, table, AddedColumns, cancellationToken).ConfigureAwait(false);
        }
    }
}
