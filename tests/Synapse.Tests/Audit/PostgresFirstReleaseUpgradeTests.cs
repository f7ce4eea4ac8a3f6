using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresFirstReleaseUpgradeTests(PostgresServer server) : FirstReleaseUpgradeScenarios
{
    private protected override AuditTestEngine Engine { get; } = new PostgresAuditEngine(server);

    private protected override string SchemaFile => "schema-postgresql.sql";

    private protected override Task LoadRowsAsync(AuditHarness log, string insertSql) =>
        log.Database.ExecuteAsync(
            insertSql.Replace("{OVERRIDING}", "OVERRIDING SYSTEM VALUE", StringComparison.Ordinal) +
            "SELECT setval(pg_get_serial_sequence('audit_events', 'id'), (SELECT max(id) FROM audit_events));");
}
