using System.Buffers;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Whether digits lie inside a hex digest (an MD5, SHA or git hash: 32 or more hex characters with
/// no break). Card digits need no word boundary (a letter is never one of them), but a digest is
/// mostly decimal digits between a few letters, and a 64-character one holds a Luhn-valid run with a
/// card's prefix often enough to block a prompt that quotes a hash. Read at most
/// <see cref="Reach"/> characters each way, so a long hex run costs a constant per candidate.
/// </summary>
internal static class HexDigest
{
    private const int MinLength = 32;
    private const int Reach = 64;

    private static readonly SearchValues<char> HexCharacters = SearchValues.Create("0123456789abcdefABCDEF");

    public static bool Contains(ReadOnlySpan<char> text, int start, int end)
    {
        var left = start;
        while (left > 0 && start - left < Reach && char.IsAsciiHexDigit(text[left - 1]))
        {
            left--;
        }

        var right = end;
        while (right < text.Length && right - end < Reach && char.IsAsciiHexDigit(text[right]))
        {
            right++;
        }

        // Only a run with a hex letter glued to it is inside a digest; a card between spaces is not.
        var glued = (start > 0 && char.IsAsciiLetter(text[start - 1])) || (end < text.Length && char.IsAsciiLetter(text[end]));
        return glued && right - left >= MinLength && !text[start..end].ContainsAnyExcept(HexCharacters);
    }
}
