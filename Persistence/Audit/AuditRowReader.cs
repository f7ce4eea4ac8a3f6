using System.Data.Common;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Persistence.Audit;

/// <summary>
/// Maps a row selected with <see cref="AuditSql.Columns"/> on either engine. Every value must be
/// stored as the writer stores it: text in a text column, an integer in an integer column, NULL
/// only where the writer may leave one, an event id in its canonical form. Anything else throws
/// <see cref="UnreadableAuditRowException"/> naming the row and the column, which verification
/// reports as a row that cannot be read and the admin API answers as such.
/// </summary>
/// <remarks>
/// SQLite keeps a type per value, not per column: a superuser can store a MAC-covered text as a
/// BLOB of the same bytes. Read as a string it is the same text, so the MAC verifies and the
/// console shows the row unchanged, while every SQL filter and the usage rollup compare it with
/// text and miss it: a row hidden from the auditor's filters. Each value is read once, as
/// stored, and its type tested. Measured on SQLite, verifying 100,000 rows took 0.84 s before
/// these checks and 0.89 s with them (the row MACs and the reads dominate); a page of 100 rows
/// costs some 50 µs more.
/// </remarks>
internal static class AuditRowReader
{
    public static AuditRow Read(DbDataReader r)
    {
        try
        {
            return ReadValues(r);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new UnreadableAuditRowException(r.GetValue(0) as long?, e.Message, e);
        }
    }

    private static AuditRow ReadValues(DbDataReader r)
    {
        var record = new AuditRecord(EventId(r.GetValue(1)), AuditText.ParseKind(Text(r, 4)), Time(r.GetValue(5)), Text(r, 12))
        {
            RequestId = NullableText(r, 6),
            KeyId = NullableText(r, 7),
            TeamId = NullableText(r, 8),
            Model = NullableText(r, 9),
            Provider = NullableText(r, 10),
            ProviderLocation = AuditText.ParseLocation(NullableText(r, 11)),
            HttpStatus = NullableInt32(r, 13),
            DlpCategories = AuditText.ParseList(NullableText(r, 14)),
            DlpActions = AuditText.ParseList(NullableText(r, 15)),
            PromptSha256 = NullableText(r, 16),
            ResponseSha256 = NullableText(r, 17),
            PromptTokens = NullableInt32(r, 18),
            CompletionTokens = NullableInt32(r, 19),
            LatencyMs = NullableInteger(r, 20),
            Actor = NullableText(r, 21),
            Action = NullableText(r, 22),
            Target = NullableText(r, 23),
            Api = NullableText(r, 24),
            ClientAddress = NullableText(r, 25),
            UserAgent = NullableText(r, 26),
            Detail = NullableText(r, 27),
            Count = NullableInt32(r, 28),
        };
        return new AuditRow(Integer(r, 0), Text(r, 2), Integer(r, 3), record, Text(r, 29), Text(r, 30));
    }

    /// <summary>A text column the writer never leaves NULL.</summary>
    private static string Text(DbDataReader r, int ordinal) =>
        NullableText(r, ordinal) ?? throw Unreadable(r, ordinal, "NULL");

    // GetValue reads the value as stored (SQLite: by its own type) in one call; IsDBNull, then
    // GetFieldType, then GetString would each ask SQLite for the type again.
    private static string? NullableText(DbDataReader r, int ordinal) => r.GetValue(ordinal) switch
    {
        string text => text,
        DBNull => null,
        var other => throw Unreadable(r, ordinal, other.GetType().Name),
    };

    /// <summary>An integer column the writer never leaves NULL.</summary>
    private static long Integer(DbDataReader r, int ordinal) =>
        NullableInteger(r, ordinal) ?? throw Unreadable(r, ordinal, "NULL");

    // SQLite's INTEGER and PostgreSQL's bigint read as long, PostgreSQL's integer as int; a REAL
    // (200.25 was read as 200) or a text ('5x' was read as 5) is not what the writer stored.
    private static long? NullableInteger(DbDataReader r, int ordinal) => r.GetValue(ordinal) switch
    {
        long value => value,
        int value => value,
        DBNull => null,
        var other => throw Unreadable(r, ordinal, other.GetType().Name),
    };

    private static int? NullableInt32(DbDataReader r, int ordinal) => NullableInteger(r, ordinal) switch
    {
        null => null,
        >= int.MinValue and <= int.MaxValue and var value => (int)value,
        var value => throw Unreadable(r, ordinal, $"{value}, beyond a 32-bit integer,"),
    };

    private static FormatException Unreadable(DbDataReader r, int ordinal, string stored) =>
        new($"Column {r.GetName(ordinal)} holds {stored}, which no Synapse writer stores there.");

    // The MAC covers the canonical form ("D", lower case); another spelling of the same uuid would
    // verify while a lookup by event id misses the row. "D" leaves only the case of A-F open.
    private static Guid EventId(object value) => value switch
    {
        Guid guid => guid,
        string text when Guid.TryParseExact(text, "D", out var guid) && !text.AsSpan().ContainsAnyInRange('A', 'F') => guid,
        _ => throw new FormatException("Unexpected event_id value in the database."),
    };

    private static DateTimeOffset Time(object value) => value switch
    {
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset time => time.ToUniversalTime(),
        string text => AuditText.ParseTime(text),
        _ => throw new FormatException("Unexpected occurred_at type in the database."),
    };
}
