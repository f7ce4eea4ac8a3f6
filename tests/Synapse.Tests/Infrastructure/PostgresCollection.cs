using Xunit;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// Shares one throwaway PostgreSQL server among the test classes marked
/// <c>[Collection(PostgresCollection.Name)]</c>; each test creates its own database on it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
