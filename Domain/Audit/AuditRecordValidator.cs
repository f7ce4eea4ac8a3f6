using System.Text.RegularExpressions;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>
/// Checks a record before it is chained and normalises it (time to microseconds, empty lists to
/// null, the client's own text screened by DLP: <see cref="AuditClientScreen"/>). Short
/// identifier-like fields and strict digest formats keep prompt or answer text from slipping into
/// a column by mistake. Error messages name the field, never its value.
/// </summary>
internal static partial class AuditRecordValidator
{
    public const int MaxFieldLength = 256;

    public const int MaxDetailLength = 4096;

    // Built once: every record is checked on the request path (two per request), and an
    // interpolated expectation passed to Require was a string per field per record.
    private static readonly string PrintableField = $"at most {MaxFieldLength} printable characters";
    private static readonly string PrintableDetail = $"at most {MaxDetailLength} printable characters";

    public static AuditRecord Normalize(AuditRecord record, AuditClientScreen screen)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(screen);
        if (record.EventId == Guid.Empty)
        {
            throw new ArgumentException("An audit record needs an event id.", nameof(record));
        }

        Require(Word().IsMatch(record.Outcome ?? string.Empty), nameof(record.Outcome), "a lower-case word of [a-z0-9_]");
        Require(record.PromptSha256 is null || Digest().IsMatch(record.PromptSha256), nameof(record.PromptSha256), "64 lower-case hex digits");
        Require(record.ResponseSha256 is null || Digest().IsMatch(record.ResponseSha256), nameof(record.ResponseSha256), "64 lower-case hex digits");
        CheckList(record.DlpCategories, nameof(record.DlpCategories));
        CheckList(record.DlpActions, nameof(record.DlpActions));
        CheckText(record.RequestId, nameof(record.RequestId));
        CheckText(record.KeyId, nameof(record.KeyId));
        CheckText(record.TeamId, nameof(record.TeamId));
        CheckText(record.Model, nameof(record.Model));
        CheckText(record.Provider, nameof(record.Provider));
        CheckText(record.Actor, nameof(record.Actor));
        CheckText(record.Action, nameof(record.Action));
        CheckText(record.Target, nameof(record.Target));
        CheckText(record.Api, nameof(record.Api));
        CheckText(record.ClientAddress, nameof(record.ClientAddress));
        CheckText(record.UserAgent, nameof(record.UserAgent));
        Require(record.Detail is null || (record.Detail.Length <= MaxDetailLength && IsPrintable(record.Detail)), nameof(record.Detail), PrintableDetail);
        Require(record.Count is null or >= 1, nameof(record.Count), "at least 1");
        Require(record.PromptTokens is null or >= 0, nameof(record.PromptTokens), "not negative");
        Require(record.CompletionTokens is null or >= 0, nameof(record.CompletionTokens), "not negative");
        Require(record.LatencyMs is null or >= 0, nameof(record.LatencyMs), "not negative");

        return record with
        {
            Time = AuditText.TruncateToMicroseconds(record.Time),
            Model = screen.Screen(record.Model),
            UserAgent = screen.Screen(record.UserAgent),
            DlpCategories = record.DlpCategories is { Count: > 0 } categories ? categories : null,
            DlpActions = record.DlpActions is { Count: > 0 } actions ? actions : null,
        };
    }

    private static void CheckText(string? value, string field) =>
        Require(value is null || (value.Length <= MaxFieldLength && IsPrintable(value)), field, PrintableField);

    /// <summary>No character <see cref="char.IsControl"/> is true for (C0, DEL and C1), searched without allocating.</summary>
    internal static bool IsPrintable(string value) =>
        !value.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !value.AsSpan().ContainsAnyInRange('\u007f', '\u009f');

    private static void CheckList(IReadOnlyList<string>? items, string field) =>
        Require(items is null || items.All(i => Token().IsMatch(i ?? string.Empty)), field, "short tokens of [a-z0-9_.:-]");

    private static void Require(bool condition, string field, string expectation)
    {
        if (!condition)
        {
            throw new ArgumentException($"Audit field {field} must be {expectation}.", field);
        }
    }

    [GeneratedRegex("^[a-z0-9_]{1,64}$")]
    private static partial Regex Word();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Digest();

    [GeneratedRegex("^[a-z0-9_.:-]{1,64}$")]
    private static partial Regex Token();
}
