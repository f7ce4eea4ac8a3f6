using System.Buffers;
using System.Collections.Frozen;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// E-mail addresses: a local part of 1–64 of <c>[A-Za-z0-9._%+-]</c>, <c>@</c>, and a domain of at
/// most 255 characters with two or more labels and an alphabetic top-level label of two or more
/// letters. Chains such as <c>a@b.c@d.e</c> are not addresses, and a "domain" ending in a
/// file extension (<c>icon@2x.png</c>, retina image names) is skipped.
/// </summary>
internal sealed class EmailDetector() : DlpDetector(DlpCategories.Email)
{
    private const int MaxLocal = 64;
    private const int MaxDomain = 255;

    // Retina and asset names ("icon@2x.png") look like addresses; these are file types, not TLDs.
    private static readonly FrozenSet<string> FileExtensions = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "pdf", "js", "ts", "css", "json", "txt", "yml", "yaml", "cs", "html");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FileExtensionLookup =
        FileExtensions.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<char> Letters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");

    public override void Detect(ReadOnlySpan<char> text, int from, CandidateSink sink)
    {
        var i = from;
        while (i < text.Length)
        {
            var found = text[i..].IndexOf('@');
            if (found < 0)
            {
                return;
            }

            var at = i + found;
            i = at + 1;
            sink.Tick();
            var start = LocalStart(text, at);
            if (start < from || start == at || (start > 0 && text[start - 1] == '@'))
            {
                continue;
            }

            var end = DomainEnd(text, at + 1);
            if (end > 0)
            {
                sink.Add(start, end);
            }
        }
    }

    public override int PendingStart(ReadOnlySpan<char> text)
    {
        var pending = text.Length;

        // A trailing word may still become a local part.
        var local = CharClass.TrailingRunStart(text, IsLocalChar, MaxLocal + 1);
        if (text.Length - local <= MaxLocal && (local == 0 || !IsLocalChar(text[local - 1])))
        {
            pending = local;
        }

        // An "@" followed by a domain that has not ended yet.
        var domain = CharClass.TrailingRunStart(text, IsDomainChar, MaxDomain + 1);
        if (domain > 0 && text[domain - 1] == '@' && text.Length - domain <= MaxDomain)
        {
            var start = LocalStart(text, domain - 1);
            if (start >= 0 && start < domain - 1)
            {
                pending = Math.Min(pending, start);
            }
        }

        return pending;
    }

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    private static bool IsDomainChar(char c) => CharClass.IsWordChar(c) || c is '.' or '-';

    /// <summary>Start of the local part before <paramref name="at"/>; -1 if it is longer than 64.</summary>
    private static int LocalStart(ReadOnlySpan<char> text, int at)
    {
        var start = at;
        while (start > 0 && IsLocalChar(text[start - 1]))
        {
            if (at - start == MaxLocal)
            {
                return -1;
            }

            start--;
        }

        return start;
    }

    /// <summary>End of a valid domain starting at <paramref name="start"/>, or 0.</summary>
    private static int DomainEnd(ReadOnlySpan<char> text, int start)
    {
        var end = start;
        while (end < text.Length && IsDomainChar(text[end]))
        {
            if (end - start == MaxDomain)
            {
                return 0;
            }

            end++;
        }

        if (end < text.Length && text[end] == '@')
        {
            return 0;
        }

        // A sentence may end right after the address.
        while (end > start && text[end - 1] is '.' or '-')
        {
            end--;
        }

        var domain = text[start..end];
        var lastDot = domain.LastIndexOf('.');
        if (lastDot <= 0 || domain.Contains("..", StringComparison.Ordinal) || domain[0] is '.' or '-')
        {
            return 0;
        }

        var tld = domain[(lastDot + 1)..];
        if (tld.Length < 2 || tld.ContainsAnyExcept(Letters) || FileExtensionLookup.Contains(tld))
        {
            return 0;
        }

        return end;
    }
}
