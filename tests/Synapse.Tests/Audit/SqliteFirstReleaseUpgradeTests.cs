using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

public sealed class SqliteFirstReleaseUpgradeTests : FirstReleaseUpgradeScenarios
{
    private protected override AuditTestEngine Engine { get; } = new SqliteAuditEngine();

    private protected override string SchemaFile => "schema-sqlite.sql";

    private protected override Task LoadRowsAsync(AuditHarness log, string insertSql) =>
        log.Database.ExecuteAsync(insertSql.Replace("{OVERRIDING}", string.Empty, StringComparison.Ordinal));
}
