using System.Reflection;

using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Schema;

/// <summary>
/// Reads the schema scripts embedded from <c>Schema/Sql/{engine}/*.sql</c>, in file-name order: the
/// number in front of each name orders the modules (01–09 Orleans, 10–19 audit, 20–29 alerts, …).
/// </summary>
internal static class SqlScripts
{
    private static readonly Assembly ResourceAssembly = typeof(SqlScripts).Assembly;

    public static IReadOnlyList<SqlScript> For(DatabaseEngine engine)
    {
        var folder = engine switch
        {
            DatabaseEngine.Postgres => "PostgreSQL",
            DatabaseEngine.Sqlite => "Sqlite",
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown database engine."),
        };

        // The SDK names an embedded file {RootNamespace}.{folders}.{file name}; the numeric prefix
        // of each file name fixes the order in which the scripts run.
        var prefix = $"Synapse.Persistence.Schema.Sql.{folder}.";
        var scripts = ResourceAssembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal)
                && name.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => new SqlScript(name, Read(name)))
            .ToList();

        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No embedded schema scripts found under '{prefix}'.");
        }

        return scripts;
    }

    private static string Read(string resourceName)
    {
        using var stream = ResourceAssembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
