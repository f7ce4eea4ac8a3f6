using System.Buffers;
using System.Globalization;
using System.Text;

namespace Synapse.Naming;

/// <summary>
/// A name people tell apart by reading it — a team's, a key's — in the console, the audit log and
/// an export. Stored trimmed and in Unicode's composed form (NFC), so <c>Café</c> typed with a
/// combining accent is the same text as with <c>é</c>; refused when it holds a character that
/// prints nothing or moves the text around it: controls, zero-width and direction marks (format
/// characters), line and paragraph separators, private-use, unassigned code points and broken
/// surrogates. Two names that still read alike — full-width letters, case, runs of spaces, which
/// HTML shows as one — are one name to <see cref="ComparisonKey"/>.
/// </summary>
public static class DisplayName
{
    public const string Rule =
        "characters that print: no control, zero-width, direction or private-use characters";

    /// <summary>The stored form of <paramref name="text"/>, or null when it is empty, longer than
    /// <paramref name="maxLength"/> or holds a character that does not print.</summary>
    public static string? Normalize(string? text, int maxLength)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed) || !AllPrint(trimmed))
        {
            return null;
        }

        var name = trimmed.Normalize(NormalizationForm.FormC);
        return name.Length <= maxLength ? name : null;
    }

    /// <summary>
    /// What two names must differ in to be told apart: compatibility forms folded (NFKC: <c>ＨＲ</c>
    /// is <c>HR</c>), invisible characters left out (names stored before this rule may hold them),
    /// white space runs as one space, case ignored.
    /// </summary>
    public static string ComparisonKey(string name)
    {
        var visible = new StringBuilder(name.Length);
        var lastWasSpace = true;
        // Broken surrogates enumerate as U+FFFD, which prints: a name stored before this rule may
        // hold one, and still compares.
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                if (!lastWasSpace)
                {
                    visible.Append(' ');
                }

                lastWasSpace = true;
            }
            else if (!Invisible(Rune.GetUnicodeCategory(rune)))
            {
                visible.Append(rune.ToString());
                lastWasSpace = false;
            }
        }

        return visible.ToString().TrimEnd().Normalize(NormalizationForm.FormKC).ToUpperInvariant();
    }

    private static bool AllPrint(string text)
    {
        var span = text.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var rune, out var used) != OperationStatus.Done
                || Invisible(Rune.GetUnicodeCategory(rune)))
            {
                return false;
            }

            span = span[used..];
        }

        return true;
    }

    // Tabs and line breaks are controls; spaces of every width are allowed inside a name.
    private static bool Invisible(UnicodeCategory category) => category is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned;
}
