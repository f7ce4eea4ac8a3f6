using System.Globalization;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Audit;

/// <summary>How values are written as text, both in the database and in the chain's canonical form.</summary>
public static class AuditText
{
    /// <summary>UTC, microseconds (what PostgreSQL's timestamptz keeps), fixed width so text sorts by time.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string FormatTime(DateTimeOffset time) =>
        TruncateToMicroseconds(time).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % 10), TimeSpan.Zero);
    }

    public static string Kind(AuditEventKind kind) => kind switch
    {
        AuditEventKind.Request => "request",
        AuditEventKind.Completion => "completion",
        AuditEventKind.Rejection => "rejection",
        AuditEventKind.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown audit event kind."),
    };

    public static AuditEventKind ParseKind(string text) => text switch
    {
        "request" => AuditEventKind.Request,
        "completion" => AuditEventKind.Completion,
        "rejection" => AuditEventKind.Rejection,
        "admin" => AuditEventKind.Admin,
        _ => throw new FormatException("Unknown audit event kind in the database."),
    };

    public static string? Location(ProviderLocation? location) => location switch
    {
        null => null,
        ProviderLocation.OnPrem => "on-prem",
        ProviderLocation.Cloud => "cloud",
        _ => throw new ArgumentOutOfRangeException(nameof(location), location, "Unknown provider location."),
    };

    public static ProviderLocation? ParseLocation(string? text) => text switch
    {
        null => null,
        "on-prem" => ProviderLocation.OnPrem,
        "cloud" => ProviderLocation.Cloud,
        _ => throw new FormatException("Unknown provider location in the database."),
    };

    /// <summary>DLP lists are stored comma-separated; an empty list is stored as NULL.</summary>
    public static string? List(IReadOnlyList<string>? items) => items is null || items.Count == 0 ? null : string.Join(',', items);

    public static IReadOnlyList<string>? ParseList(string? text) => text is null ? null : text.Split(',');

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
