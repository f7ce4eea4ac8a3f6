using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Synapse.Persistence.Storage;

/// <summary>
/// The database logins, bound from <c>ConnectionStrings</c>: <see cref="Postgres"/> selects the
/// cluster mode's PostgreSQL (else the all-in-one SQLite file), <see cref="PostgresAudit"/> an
/// optional separate login for audit writes. Read while a process is composed, since the database
/// decides how the host is built (<see cref="SynapseDatabase.FromConfiguration"/>).
/// </summary>
public sealed class ConnectionStringOptions : IValidatableObject
{
    public const string SectionName = "ConnectionStrings";

    public string? Postgres { get; set; }

    /// <summary>
    /// A role granted <c>synapse_audit_writer</c>. Without it the audit store uses <see cref="Postgres"/>;
    /// either way every write runs under <c>SET LOCAL ROLE synapse_audit_writer</c>.
    /// </summary>
    public string? PostgresAudit { get; set; }

    /// <summary>Each login set must parse; the message names the key, never the string (it holds a password).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(Postgres), Postgres), (nameof(PostgresAudit), PostgresAudit) })
        {
            if (!string.IsNullOrWhiteSpace(value) && !Parses(value))
            {
                yield return new ValidationResult("is not a valid PostgreSQL connection string.", [name]);
            }
        }
    }

    private static bool Parses(string value)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
