using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp.Detection;

/// <summary>
/// E-mail addresses (RFC 5321/5322, internationalised per RFC 6531 and IDNA): a local part of 1–64
/// characters — the unquoted atext <c>A-Z a-z 0-9 . ! # $ % &amp; ' * + / = ? ^ _ ` { | } ~ -</c> and,
/// for internationalised addresses, letters, digits and marks of any script — then <c>@</c> and a
/// domain of at most 255 characters with two or more labels of letters, digits (any script), marks
/// and hyphens, whose top-level label is two or more ASCII letters, two or more letters of one
/// non-Latin script (<c>рф</c>, <c>中国</c>, <c>भारत</c>) or an A-label (<c>xn--p1ai</c>). In a chain
/// such as <c>x@jane.doe@example.com</c> (no address by the RFC) each address a reader can see is
/// found, here <c>jane.doe@example.com</c>: a one-character prefix must not hide one. A "domain"
/// ending in a file extension (<c>icon@2x.png</c>, retina image names) is skipped, unless what comes
/// before the extension is a domain (<c>jane.doe@example.com.txt</c>, a file named after an address). Scripts written without spaces run straight
/// into an address (<c>请联系zhang@example.com</c>): the match then covers those words too, which
/// hides the address whole; a run longer than 64 characters is cut back to its ASCII tail.
/// </summary>
internal sealed class EmailDetector() : DlpDetector(DlpCategories.Email)
{
    private const int MaxLocal = 64;
    private const int MaxDomain = 255;
    private const string ALabelPrefix = "xn--";

    // Retina and asset names ("icon@2x.png") look like addresses; these are file types, not TLDs.
    private static readonly FrozenSet<string> FileExtensions = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "pdf", "js", "ts", "css", "json", "txt", "yml", "yaml", "cs", "html");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> FileExtensionLookup =
        FileExtensions.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<char> AsciiLetters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    private static readonly SearchValues<char> ALabelChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
    private static readonly SearchValues<char> AsciiAtext = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?^_`{|}~-");

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
            if (start < from || start == at)
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
        if (text.Length - local <= MaxLocal)
        {
            pending = local;
        }
        else
        {
            // Too long for a local part, unless its ASCII tail follows a letter of an unspaced script.
            var ascii = CharClass.TrailingRunStart(text, c => c < 128 && AsciiAtext.Contains(c), MaxLocal + 1);
            if (text.Length - ascii <= MaxLocal && ascii > 0 && text[ascii - 1] >= 128)
            {
                pending = ascii;
            }
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

    public override DlpExplanation Explain(ReadOnlySpan<char> text, int start, int end)
    {
        var at = text[start..end].IndexOf('@') + start;
        var domain = text[(at + 1)..end];
        var tld = domain[(domain.LastIndexOf('.') + 1)..];
        var kind = tld.StartsWith(ALabelPrefix, StringComparison.OrdinalIgnoreCase) ? "an IDNA A-label (punycode)"
            : tld.ContainsAnyExcept(AsciiLetters) ? $"{tld.Length} letters of a non-Latin script" : $"{tld.Length} ASCII letters";
        var international = text[start..at].ContainsAnyExceptInRange('\0', '\u007f') || domain.ContainsAnyExceptInRange('\0', '\u007f')
            ? "internationalised address, " : string.Empty;
        return new DlpExplanation(
            "email.address",
            $"{international}{at - start}-character local part, domain of {domain.Count('.') + 1} labels, top-level label of {kind}");
    }

    private static bool IsLocalChar(char c) => c < 128 ? AsciiAtext.Contains(c) : IsInternationalWordChar(c);

    private static bool IsDomainChar(char c) => c < 128 ? char.IsAsciiLetterOrDigit(c) || c is '.' or '-' : IsInternationalWordChar(c);

    private static bool IsInternationalWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    /// <summary>
    /// Start of the local part before <paramref name="at"/>: the whole run of local-part characters,
    /// or its ASCII tail when the run is longer than 64 or starts with letters of an unspaced script;
    /// -1 when neither fits.
    /// </summary>
    private static int LocalStart(ReadOnlySpan<char> text, int at)
    {
        var ascii = at;
        while (ascii > 0 && at - ascii < MaxLocal && text[ascii - 1] < 128 && AsciiAtext.Contains(text[ascii - 1]))
        {
            ascii--;
        }

        if (ascii > 0 && at - ascii == MaxLocal && text[ascii - 1] < 128 && AsciiAtext.Contains(text[ascii - 1]))
        {
            // An ASCII run longer than any local part.
            return -1;
        }

        var start = ascii;
        while (start > 0 && at - start <= MaxLocal && IsLocalChar(text[start - 1]))
        {
            start--;
        }

        if (start == ascii)
        {
            return at - start <= MaxLocal ? start : -1;
        }

        // Non-ASCII letters before the ASCII tail belong to the local part, unless the run is too long
        // to be one: then unspaced text ran into the address, and the ASCII tail is the address.
        return at - start <= MaxLocal ? start : ascii < at ? ascii : -1;
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
        if (IsTopLevelLabel(tld))
        {
            return end;
        }

        // A file name made of an address ("jane.doe@example.com.txt") holds the address: the
        // extension is let go when what is left is a domain ("icon@2x.png" is still no address).
        return FileExtensionLookup.Contains(tld) && domain[..lastDot].LastIndexOf('.') is > 0 and var dot && IsTopLevelLabel(domain[(dot + 1)..lastDot])
            ? start + lastDot
            : 0;
    }

    private static bool IsTopLevelLabel(ReadOnlySpan<char> tld)
    {
        if (tld.Length < 2 || FileExtensionLookup.Contains(tld))
        {
            return false;
        }

        if (tld.StartsWith(ALabelPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return tld.Length > ALabelPrefix.Length && !tld.ContainsAnyExcept(ALabelChars);
        }

        if (!tld.ContainsAnyExcept(AsciiLetters))
        {
            return true;
        }

        // A non-Latin top-level label: letters and marks only, none of them ASCII.
        foreach (var c in tld)
        {
            if (c < 128 || !IsInternationalWordChar(c) || char.IsDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
