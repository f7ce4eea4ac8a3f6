using System.Buffers;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Synapse.RateLimiting;

/// <summary>
/// Counts the tokens of a text in OpenAI's o200k encoding (GPT-4o and later) without building
/// an encoder: byte-pair merges over one packed table of the encoding's 200,000 tokens.
/// </summary>
/// <remarks>
/// Written by hand because only counting is needed: Microsoft.ML.Tokenizers' Tiktoken builds an
/// encoder, a decoder and a string vocabulary at once, which held 40 MB of every gateway's heap and
/// took a third of a second of CPU to load; this table holds about 5 MB and loads in a tenth of
/// that (docs/benchmarks.md, "Footprint"). The encoding's data is the same file, read from the
/// Microsoft.ML.Tokenizers.Data.O200kBase package, and the tests compare every count with that
/// library's on a corpus of prose, code, scripts, digits, punctuation and whitespace.
/// A pre-token longer than <see cref="MaxPieceBytes"/> (only whitespace runs reach that here: the
/// estimator cuts other runs) is merged in slices of that length, which keeps the count linear in
/// the input; the exact count of such a run would need time quadratic in its length.
/// </remarks>
internal sealed partial class O200kTokenCounter
{
    public const int MaxPieceBytes = 128;

    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.O200kBase";
    private const string DataResource = "o200k_base.tiktoken.deflate";

    /// <summary>The encoding's special tokens: one token each wherever they appear in a text.</summary>
    private static readonly string[] SpecialTokens = ["<|endoftext|>", "<|endofprompt|>"];

    private readonly byte[] _tokenBytes;
    private readonly int[] _tokenStarts;
    private readonly int[] _tokenRanks;
    private readonly int[] _slots;

    private O200kTokenCounter(byte[] tokenBytes, int[] tokenStarts, int[] tokenRanks, int[] slots)
    {
        _tokenBytes = tokenBytes;
        _tokenStarts = tokenStarts;
        _tokenRanks = tokenRanks;
        _slots = slots;
    }

    /// <summary>
    /// Reads the encoding as the data package ships it: a <c>Capacity: N</c> line, then one line per
    /// token, its bytes in base64, in rank order (tiktoken's own files add the rank after a space).
    /// </summary>
    public static O200kTokenCounter Load()
    {
        using var reader = new StreamReader(OpenData(), Encoding.ASCII);
        var bytes = new List<byte>(1 << 21);
        var starts = new List<int>(200_001) { 0 };
        var ranks = new List<int>(200_000);
        Span<byte> decoded = stackalloc byte[256];
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal))
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var token = space < 0 ? line.AsSpan() : line.AsSpan(0, space);
            var rank = ranks.Count;
            if (!Convert.TryFromBase64Chars(token, decoded, out var length)
                || (space >= 0 && !int.TryParse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture, out rank)))
            {
                throw new InvalidDataException($"{DataResource}: token {ranks.Count + 1} is not base64 bytes and a rank.");
            }

            bytes.AddRange(decoded[..length]);
            starts.Add(bytes.Count);
            ranks.Add(rank);
        }

        var slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)ranks.Count * 2)];
        var counter = new O200kTokenCounter([.. bytes], [.. starts], [.. ranks], slots);
        for (var token = 0; token < ranks.Count; token++)
        {
            counter.Insert(token);
        }

        return counter;
    }

    /// <summary>The encoding's data file, decompressed: the data package's embedded resource.</summary>
    public static Stream OpenData()
    {
        var compressed = Assembly.Load(DataAssembly).GetManifestResourceStream(DataResource)
            ?? throw new InvalidOperationException($"{DataAssembly} has no {DataResource}.");
        return new DeflateStream(compressed, CompressionMode.Decompress);
    }

    /// <summary>The number of o200k tokens of <paramref name="text"/>.</summary>
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        var from = 0;
        while (NextSpecialToken(text, from) is var (at, length) && length > 0)
        {
            count += CountOrdinary(text.AsSpan(from, at - from)) + 1;
            from = at + length;
        }

        return count + CountOrdinary(text.AsSpan(from));
    }

    private static (int At, int Length) NextSpecialToken(string text, int from)
    {
        var best = (At: text.Length, Length: 0);
        foreach (var special in SpecialTokens)
        {
            var at = text.IndexOf(special, from, StringComparison.Ordinal);
            if (at >= 0 && at < best.At)
            {
                best = (at, special.Length);
            }
        }

        return best;
    }

    private int CountOrdinary(ReadOnlySpan<char> text)
    {
        var count = 0;
        byte[]? rented = null;
        Span<byte> utf8 = stackalloc byte[256];
        foreach (var match in PreTokens().EnumerateMatches(text))
        {
            var piece = text.Slice(match.Index, match.Length);
            var needed = Encoding.UTF8.GetMaxByteCount(piece.Length);
            if (needed > utf8.Length)
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }

                rented = ArrayPool<byte>.Shared.Rent(needed);
                utf8 = rented;
            }

            var written = Encoding.UTF8.GetBytes(piece, utf8);
            count += CountPiece(utf8[..written]);
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return count;
    }

    /// <summary>A pre-token's tokens; long ones in slices that end on a character boundary.</summary>
    private int CountPiece(ReadOnlySpan<byte> piece)
    {
        var count = 0;
        while (piece.Length > MaxPieceBytes)
        {
            var cut = MaxPieceBytes;
            while (cut > 1 && (piece[cut] & 0xC0) == 0x80)
            {
                cut--;
            }

            count += Merge(piece[..cut]);
            piece = piece[cut..];
        }

        return count + Merge(piece);
    }

    /// <summary>
    /// Byte-pair encoding of one piece: starting from single bytes, the adjacent pair whose joined
    /// bytes have the lowest rank is merged (the leftmost on a tie) until no joined pair is a token.
    /// </summary>
    private int Merge(ReadOnlySpan<byte> piece)
    {
        if (piece.Length <= 1 || Rank(piece) >= 0)
        {
            return piece.IsEmpty ? 0 : 1;
        }

        // starts[i] is where part i begins; starts[parts] == piece.Length. pairRanks[i] is the rank
        // of parts i and i + 1 joined, or int.MaxValue when that is no token.
        Span<int> starts = stackalloc int[MaxPieceBytes + 1];
        Span<int> pairRanks = stackalloc int[MaxPieceBytes];
        var parts = piece.Length;
        for (var i = 0; i <= parts; i++)
        {
            starts[i] = i;
        }

        for (var i = 0; i < parts - 1; i++)
        {
            pairRanks[i] = PairRank(piece, starts, parts, i);
        }

        while (parts > 1)
        {
            var lowest = 0;
            for (var i = 1; i < parts - 1; i++)
            {
                if (pairRanks[i] < pairRanks[lowest])
                {
                    lowest = i;
                }
            }

            if (pairRanks[lowest] == int.MaxValue)
            {
                break;
            }

            // Part lowest + 1 joins part lowest: its start goes, and so does the pair it began.
            starts[(lowest + 2)..(parts + 1)].CopyTo(starts[(lowest + 1)..]);
            if (lowest + 2 < parts - 1)
            {
                pairRanks[(lowest + 2)..(parts - 1)].CopyTo(pairRanks[(lowest + 1)..]);
            }

            parts--;
            pairRanks[lowest] = PairRank(piece, starts, parts, lowest);
            if (lowest > 0)
            {
                pairRanks[lowest - 1] = PairRank(piece, starts, parts, lowest - 1);
            }
        }

        return parts;
    }

    private int PairRank(ReadOnlySpan<byte> piece, ReadOnlySpan<int> starts, int parts, int i) =>
        i + 2 <= parts && Rank(piece[starts[i]..starts[i + 2]]) is var rank and >= 0 ? rank : int.MaxValue;

    private int Rank(ReadOnlySpan<byte> bytes)
    {
        var mask = _slots.Length - 1;
        for (var slot = Hash(bytes) & mask; ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot] - 1;
            if (entry < 0)
            {
                return -1;
            }

            if (TokenBytes(entry).SequenceEqual(bytes))
            {
                return _tokenRanks[entry];
            }
        }
    }

    private void Insert(int token)
    {
        var mask = _slots.Length - 1;
        var slot = Hash(TokenBytes(token)) & mask;
        while (_slots[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        _slots[slot] = token + 1;
    }

    private ReadOnlySpan<byte> TokenBytes(int token) => _tokenBytes.AsSpan(_tokenStarts[token], _tokenStarts[token + 1] - _tokenStarts[token]);

    private static int Hash(ReadOnlySpan<byte> bytes) => (int)XxHash3.HashToUInt64(bytes);

    /// <summary>The o200k pre-tokenizer (tiktoken's published pattern for the encoding).</summary>
    [GeneratedRegex(@"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex PreTokens();
}
