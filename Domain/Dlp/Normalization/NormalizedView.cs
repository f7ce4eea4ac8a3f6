using System.Buffers;

namespace Synapse.Dlp.Normalization;

/// <summary>
/// The text the detectors scan, with a map from each of its characters back to the original:
/// every escape a model would read as a character decoded (<see cref="TextEscapes"/>), every code
/// point through <see cref="CodePointNormalizer"/>, combining marks on an ASCII base dropped, NUL
/// characters dropped (they render as nothing, and UTF-16 or UTF-32 text read as UTF-8 has one
/// between every two ASCII letters: <c>j\0a\0n\0e\0@\0…</c>), and look-alike letters inside
/// the fixed prefixes of secret formats folded to ASCII (<see cref="SecretPrefixFold"/>). Pure
/// ASCII text without NULs or escapes is already normal: the view is then the original span and
/// nothing is allocated.
/// </summary>
internal ref struct NormalizedView
{
    /// <summary>
    /// The most characters one code point becomes. NFKC turns U+FDFA into 18: a prompt of them grew
    /// 18-fold in memory (four such requests held 1.9 GB). A code point whose normal form is longer
    /// cannot stand for a digit, an <c>@</c> or a key's prefix, so it becomes its first character.
    /// </summary>
    private const int MaxExpansion = 4;

    /// <summary>Larger buffers are allocated, not rented: the shared pool would keep them for good.</summary>
    private const int PooledLimit = 1 << 20;

    private readonly ReadOnlySpan<char> _original;
    private char[]? _rentedText;
    private int[]? _rentedMap;

    private NormalizedView(ReadOnlySpan<char> original, ReadOnlySpan<char> text, char[]? rentedText, int[]? rentedMap)
    {
        _original = original;
        Text = text;
        _rentedText = rentedText;
        _rentedMap = rentedMap;
    }

    public ReadOnlySpan<char> Text { get; }

    public readonly bool IsIdentity => _rentedMap is null;

    public static NormalizedView Create(ReadOnlySpan<char> original)
    {
        if (!original.ContainsAnyExceptInRange('\u0001', '\u007f') && !TextEscapes.Any(original))
        {
            return new NormalizedView(original, original, null, null);
        }

        // NFKC expands a few code points (up to MaxExpansion characters here); grow when needed.
        var text = Rent<char>(original.Length + 16);
        var map = Rent<int>(original.Length + 16);
        var length = 0;
        var i = 0;
        var nonAscii = false;
        while (i < original.Length)
        {
            var c = original[i];
            int codePoint = c;
            var width = 1;
            if (TextEscapes.MayStart(c) && TextEscapes.TryDecode(original[i..], out var escaped, out var escapeLength))
            {
                // The escape stands for its character, which is then treated like the character itself.
                (codePoint, width) = (escaped, escapeLength);
                if (TextEscapes.IsSymbolWordStart(c))
                {
                    // "jane [at] example [dot] com" reads as one address: up to two spaces on either side go too.
                    for (var dropped = 0; dropped < TextEscapes.SymbolWordSpaces && length > 0 && text[length - 1] is ' ' or '\t'; dropped++)
                    {
                        length--;
                    }

                    for (var taken = 0; taken < TextEscapes.SymbolWordSpaces && i + width < original.Length && original[i + width] is ' ' or '\t'; taken++)
                    {
                        width++;
                    }
                }
            }
            else if (char.IsHighSurrogate(c) && i + 1 < original.Length && char.IsLowSurrogate(original[i + 1]))
            {
                (codePoint, width) = (char.ConvertToUtf32(c, original[i + 1]), 2);
            }

            if (codePoint == 0)
            {
                i += width;
                continue;
            }

            if (codePoint < 128)
            {
                text[length] = (char)codePoint;
                map[length++] = i;
                i += width;
                continue;
            }

            // A combining mark on an ASCII base ("4\u0336", a keycap "4\u20E3") is decoration only.
            if (length > 0 && text[length - 1] < 128 && CodePointNormalizer.IsCombiningMark(codePoint))
            {
                i += width;
                continue;
            }

            var mapped = CodePointNormalizer.Map(codePoint).AsSpan();
            if (mapped.Length > MaxExpansion)
            {
                mapped = mapped[..1];
            }

            if (length + mapped.Length > text.Length)
            {
                Grow(ref text, ref map, length + mapped.Length + original.Length - i);
            }

            foreach (var m in mapped)
            {
                nonAscii |= m >= 128;
                text[length] = m;
                map[length++] = i;
            }

            i += width;
        }

        if (nonAscii)
        {
            SecretPrefixFold.Apply(text.AsSpan(0, length));
        }

        return new NormalizedView(original, text.AsSpan(0, length), text, map);
    }

    /// <summary>Original index where normalised character <paramref name="index"/> came from.</summary>
    public readonly int ToOriginalStart(int index)
    {
        if (_rentedMap is null)
        {
            return index;
        }

        return index >= Text.Length ? _original.Length : _rentedMap[index];
    }

    /// <summary>Original index just past the code point (or escape) that produced character <c>end - 1</c>.</summary>
    public readonly int ToOriginalEnd(int end)
    {
        if (_rentedMap is null)
        {
            return end;
        }

        if (end <= 0)
        {
            return 0;
        }

        var start = _rentedMap[end - 1];
        if (TextEscapes.TryDecode(_original[start..], out _, out var escapeLength))
        {
            return start + escapeLength; // Create decodes every escape it reaches, so this one was decoded
        }

        var width = char.IsHighSurrogate(_original[start]) && start + 1 < _original.Length && char.IsLowSurrogate(_original[start + 1]) ? 2 : 1;
        return start + width;
    }

    /// <summary>The first normalised index whose source is at or after original index <paramref name="original"/>.</summary>
    public readonly int FromOriginal(int original)
    {
        if (_rentedMap is null)
        {
            return original;
        }

        var lo = 0;
        var hi = Text.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_rentedMap[mid] < original)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    public void Dispose()
    {
        if (_rentedText is not null)
        {
            Return(_rentedText);
            _rentedText = null;
        }

        if (_rentedMap is not null)
        {
            Return(_rentedMap);
            _rentedMap = null;
        }
    }

    private static void Grow(ref char[] text, ref int[] map, int needed)
    {
        var size = Math.Max(needed, text.Length * 2);
        var newText = Rent<char>(size);
        var newMap = Rent<int>(size);
        text.AsSpan().CopyTo(newText);
        map.AsSpan().CopyTo(newMap);
        Return(text);
        Return(map);
        text = newText;
        map = newMap;
    }

    private static T[] Rent<T>(int size) => size <= PooledLimit ? ArrayPool<T>.Shared.Rent(size) : new T[size];

    // A rented array is at most PooledLimit long (the pool rounds up to a power of two, which the limit is).
    private static void Return<T>(T[] array)
    {
        if (array.Length <= PooledLimit)
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }
}
