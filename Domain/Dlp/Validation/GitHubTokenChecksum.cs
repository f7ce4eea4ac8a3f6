using System.IO.Hashing;
using System.Text;

namespace Synapse.Dlp.Validation;

/// <summary>
/// GitHub's token checksum (github.blog, "Behind GitHub's new authentication token formats",
/// 2021-04-05): the last 6 characters of a <c>ghp_</c>/<c>gho_</c>/<c>ghu_</c>/<c>ghs_</c>/<c>ghr_</c>
/// token are the CRC32 of the 30 random characters before them, written in base62 (<c>0-9A-Za-z</c>)
/// and padded on the left with <c>0</c>. A made-up or mistyped token fails it: any single changed
/// character does.
/// </summary>
internal static class GitHubTokenChecksum
{
    public const int RandomLength = 30;
    public const int ChecksumLength = 6;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>True when the last 6 characters of <paramref name="body"/> (36 base62 characters) are the CRC32 of the first 30.</summary>
    public static bool IsValid(ReadOnlySpan<char> body)
    {
        if (body.Length != RandomLength + ChecksumLength)
        {
            return false;
        }

        Span<char> expected = stackalloc char[ChecksumLength];
        Compute(body[..RandomLength], expected);
        return body[RandomLength..].SequenceEqual(expected);
    }

    /// <summary>Writes the base62 checksum of <paramref name="random"/> (ASCII) into <paramref name="checksum"/>.</summary>
    public static void Compute(ReadOnlySpan<char> random, Span<char> checksum)
    {
        Span<byte> bytes = stackalloc byte[random.Length];
        var written = Encoding.ASCII.GetBytes(random, bytes);
        var value = Crc32.HashToUInt32(bytes[..written]);
        for (var k = checksum.Length - 1; k >= 0; k--)
        {
            checksum[k] = Base62[(int)(value % 62)];
            value /= 62;
        }
    }
}
