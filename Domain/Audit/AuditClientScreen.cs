using System.Collections.Concurrent;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;

namespace Synapse.Audit;

/// <summary>
/// Text a client chose that the audit log keeps — the model it asked for, which may be on no list,
/// the path it tried, its user agent — screened by the DLP engine before it is chained: whatever a
/// prompt scan could find in it (a card number, an e-mail address, a key, a match of one of the
/// admin's custom categories) is stored as its marker (<c>[REDACTED:CREDIT_CARD]</c>), so the log
/// never holds the data the prompt path keeps out of the database. Every category, whatever the
/// policy does with it on prompts, but IP addresses: the client's own address is in the row anyway,
/// and version numbers in user agents look like them. Screened texts are remembered (they are
/// mostly the same few user agents and model names), up to a bound an attacker cannot grow.
/// </summary>
/// <remarks>
/// The custom categories are the global policy's as this process last read it: the screen never
/// waits for the policy grain (an audit row must not depend on it), and a policy missing or stale
/// is read again in the background, so a new category applies from the next read on (within
/// <see cref="DlpScannerCache.RefreshInterval"/>).
/// </remarks>
public sealed class AuditClientScreen(DlpScannerCache? policies = null)
{
    /// <summary>What a text the scan could not finish is stored as (fail closed).</summary>
    public const string Withheld = "(withheld: not scanned)";

    private const int Remembered = 4096;

    private static readonly Lazy<Screener> BuiltInOnly = new(() => new Screener(DlpPolicy.Default));

    private Screener? _current;

    /// <summary><paramref name="text"/> with every finding masked, cut to a field's length.</summary>
    public string? Screen(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var screener = CurrentScreener();
        if (screener.Screened.TryGetValue(text, out var known))
        {
            return known;
        }

        string screened;
        try
        {
            screened = screener.Scanner.Scan(text).RedactedText;
        }
        catch (DlpScanException)
        {
            return Withheld;
        }

        if (screened.Length > AuditRecordValidator.MaxFieldLength)
        {
            screened = screened[..AuditRecordValidator.MaxFieldLength];
        }

        if (screener.Screened.Count >= Remembered)
        {
            screener.Screened.Clear();
        }

        screener.Screened[text] = screened;
        return screened;
    }

    private Screener CurrentScreener()
    {
        if (policies?.LatestPolicy() is not { } policy)
        {
            return BuiltInOnly.Value;
        }

        var current = _current;
        if (current?.Policy == policy)
        {
            return current;
        }

        // A new policy: a new scanner, and nothing remembered from the old one (a text it passed
        // may hold a new category).
        return _current = new Screener(policy);
    }

    /// <summary>A policy's categories, all set to redact (IP addresses off), and what it has screened.</summary>
    private sealed class Screener(DlpPolicy policy)
    {
        public DlpPolicy Policy { get; } = policy;

        public DlpScanner Scanner { get; } = new(policy.WithOverrides(
            policy.Categories.ToDictionary(c => c, c => c == DlpCategories.IpAddress ? DlpAction.Off : DlpAction.Redact, StringComparer.Ordinal)));

        public ConcurrentDictionary<string, string> Screened { get; } = new(StringComparer.Ordinal);
    }
}
