using System.Collections.Concurrent;
using Synapse.Dlp;

namespace Synapse.Audit;

/// <summary>
/// Text a client chose that the audit log keeps — the model it asked for, which may be on no list,
/// and its user agent — screened by the DLP engine before it is chained: whatever a prompt scan
/// would find in it (a card number, an e-mail address, a key) is stored as its marker
/// (<c>[REDACTED:CREDIT_CARD]</c>), so the log never holds the data the prompt path keeps out of
/// the database. Every built-in category but IP addresses: the client's own address is in the row
/// anyway, and version numbers in user agents look like them. Screened texts are remembered (they
/// are mostly the same few user agents and model names), up to a bound an attacker cannot grow.
/// </summary>
internal static class AuditClientText
{
    /// <summary>What a text the scan could not finish is stored as (fail closed).</summary>
    public const string Withheld = "(withheld: not scanned)";

    private const int Remembered = 4096;

    private static readonly Lazy<DlpScanner> Scanner = new(() => new DlpScanner(DlpPolicy.Create(
        DlpCategories.BuiltIn.ToDictionary(c => c, c => c == DlpCategories.IpAddress ? DlpAction.Off : DlpAction.Redact))));

    private static readonly ConcurrentDictionary<string, string> Screened = new(StringComparer.Ordinal);

    /// <summary><paramref name="text"/> with every finding masked, cut to a field's length.</summary>
    public static string? Screen(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (Screened.TryGetValue(text, out var known))
        {
            return known;
        }

        string screened;
        try
        {
            screened = Scanner.Value.Scan(text).RedactedText;
        }
        catch (DlpScanException)
        {
            return Withheld;
        }

        if (screened.Length > AuditRecordValidator.MaxFieldLength)
        {
            screened = screened[..AuditRecordValidator.MaxFieldLength];
        }

        if (Screened.Count >= Remembered)
        {
            Screened.Clear();
        }

        Screened[text] = screened;
        return screened;
    }
}
