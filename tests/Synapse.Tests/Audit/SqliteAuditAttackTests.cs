namespace Synapse.Tests.Audit;

public sealed class SqliteAuditAttackTests : AuditAttackScenarios
{
    private protected override AuditTestEngine Engine { get; } = new SqliteAuditEngine();
}
