using System.Data.Common;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Persistence.Audit;

/// <summary>Maps a row selected with <see cref="AuditSql.Columns"/> on either engine.</summary>
internal static class AuditRowReader
{
    public static AuditRow Read(DbDataReader r)
    {
        var record = new AuditRecord(EventId(r.GetValue(1)), AuditText.ParseKind(r.GetString(4)), Time(r.GetValue(5)), r.GetString(12))
        {
            RequestId = Text(r, 6),
            KeyId = Text(r, 7),
            TeamId = Text(r, 8),
            Model = Text(r, 9),
            Provider = Text(r, 10),
            ProviderLocation = AuditText.ParseLocation(Text(r, 11)),
            HttpStatus = r.IsDBNull(13) ? null : Convert.ToInt32(r.GetValue(13), System.Globalization.CultureInfo.InvariantCulture),
            DlpCategories = AuditText.ParseList(Text(r, 14)),
            DlpActions = AuditText.ParseList(Text(r, 15)),
            PromptSha256 = Text(r, 16),
            ResponseSha256 = Text(r, 17),
            PromptTokens = r.IsDBNull(18) ? null : Convert.ToInt32(r.GetValue(18), System.Globalization.CultureInfo.InvariantCulture),
            CompletionTokens = r.IsDBNull(19) ? null : Convert.ToInt32(r.GetValue(19), System.Globalization.CultureInfo.InvariantCulture),
            LatencyMs = r.IsDBNull(20) ? null : r.GetInt64(20),
            Actor = Text(r, 21),
            Action = Text(r, 22),
            Target = Text(r, 23),
            Api = Text(r, 24),
            ClientAddress = Text(r, 25),
            UserAgent = Text(r, 26),
            Detail = Text(r, 27),
            Count = r.IsDBNull(28) ? null : Convert.ToInt32(r.GetValue(28), System.Globalization.CultureInfo.InvariantCulture),
        };
        return new AuditRow(r.GetInt64(0), r.GetString(2), r.GetInt64(3), record, r.GetString(29), r.GetString(30));
    }

    private static string? Text(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static Guid EventId(object value) => value switch
    {
        Guid guid => guid,
        string text => Guid.Parse(text),
        _ => throw new FormatException("Unexpected event_id type in the database."),
    };

    private static DateTimeOffset Time(object value) => value switch
    {
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset time => time.ToUniversalTime(),
        string text => AuditText.ParseTime(text),
        _ => throw new FormatException("Unexpected occurred_at type in the database."),
    };
}
