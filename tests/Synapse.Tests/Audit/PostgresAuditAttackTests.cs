using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditAttackTests(PostgresServer server) : AuditAttackScenarios
{
    private protected override AuditTestEngine Engine { get; } = new PostgresAuditEngine(server);
}
