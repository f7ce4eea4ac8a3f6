using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.Audit;

/// <summary>Reads the audit API's query string strictly; every problem is reported against its parameter.</summary>
internal static partial class AuditQueryParser
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxIdLength = 256;

    public static readonly string[] ListParameters = ["keyId", "teamId", "outcome", "from", "to", "cursor", "limit", "model", "provider", "dlpCategory", "kind"];
    public static readonly string[] ExportParameters = ["format", "from", "to", "keyId", "teamId", "outcome", "model", "provider", "dlpCategory", "kind"];

    private static readonly DateTimeOffset EarliestTime = DateTimeOffset.UnixEpoch;
    private static readonly DateTimeOffset LatestTime = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Kinds = ["request", "completion", "rejection", "admin"];

    public static Dictionary<string, string[]> Check(IQueryCollection query, string[] allowed)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                errors[name] = ["This parameter is not supported."];
            }
            else if (values.Count > 1)
            {
                errors[name] = ["Give this parameter at most once."];
            }
        }

        return errors;
    }

    public static AuditQuery ReadList(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var (from, to) = ReadRange(query, errors);
        var outcome = Single(query, "outcome");
        if (outcome is not null && !AuditOutcomes.All.Contains(outcome, StringComparer.Ordinal))
        {
            errors["outcome"] = [$"One of {string.Join(", ", AuditOutcomes.All)}."];
        }

        long? before = null;
        if (Single(query, "cursor") is { } cursor && (before = AuditCursor.Decode(cursor)) is null)
        {
            errors["cursor"] = ["This cursor is not valid; use the nextCursor of a previous page."];
        }

        var limit = DefaultLimit;
        if (Single(query, "limit") is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"The limit must be a whole number from 1 to {MaxLimit}."];
        }

        var dlpCategory = Single(query, "dlpCategory");
        if (dlpCategory is not null && !Word().IsMatch(dlpCategory))
        {
            errors["dlpCategory"] = ["A DLP category is a lower-case word such as 'email'."];
        }

        var kind = Single(query, "kind");
        if (kind is not null && !Kinds.Contains(kind, StringComparer.Ordinal))
        {
            errors["kind"] = [$"One of {string.Join(", ", Kinds)}."];
        }

        return new AuditQuery(Id(query, "keyId", errors), Id(query, "teamId", errors), outcome, from, to, before, limit,
            Id(query, "model", errors), Id(query, "provider", errors), dlpCategory, kind);
    }

    public static (DateTimeOffset? From, DateTimeOffset? To) ReadRange(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var from = Time(query, "from", errors);
        var to = Time(query, "to", errors);
        if (from is { } f && to is { } t && f >= t)
        {
            errors["to"] = ["'to' must be after 'from'."];
        }

        return (from, to);
    }

    public static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !StringValues.IsNullOrEmpty(values) ? values[0] : null;

    /// <summary>An id parameter: at most <see cref="MaxIdLength"/> printable characters, else an error (never silently ignored).</summary>
    public static string? Id(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var value = Single(query, name);
        if (value is not null && (value.Length > MaxIdLength || value.Any(char.IsControl)))
        {
            errors[name] = [$"An id has at most {MaxIdLength} printable characters."];
        }

        return value;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Single(query, name) is not { } text)
        {
            return null;
        }

        if (Admin.AdminInstant.TryParse(text, out var time))
        {
            // Events are stored as Unix milliseconds, and range edges are rounded out to whole
            // buckets: a time outside these bounds could only overflow that arithmetic.
            if (time >= EarliestTime && time < LatestTime)
            {
                return time;
            }

            errors[name] = [$"Give a time from {EarliestTime:yyyy-MM-dd} to before {LatestTime:yyyy-MM-dd} (UTC)."];
            return null;
        }

        errors[name] = [$"Give {Admin.AdminInstant.Rule}."];
        return null;
    }

    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex Word();
}
