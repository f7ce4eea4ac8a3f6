using System.Buffers;
using System.Globalization;
using System.Text;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// The bytes of a percent-encoded data URL (RFC 2397), and back. Written here because the BCL's
/// decoders return text (<see cref="Uri.UnescapeDataString(string)"/> assumes UTF-8, so a UTF-16
/// body's <c>%00</c> bytes come out as characters) or read <c>+</c> as a space
/// (<see cref="System.Net.WebUtility.UrlDecodeToBytes(byte[], int, int)"/>), which a data URL's
/// body does not.
/// </summary>
internal static class PercentEncoding
{
    /// <summary>Each <c>%XX</c> as its byte; any other character as its UTF-8 bytes; a <c>%</c> without two hex digits as itself.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text)
    {
        var output = new ArrayBufferWriter<byte>(Math.Max(text.Length, 1));
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length
                && byte.TryParse(text.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            {
                Encoding.UTF8.GetBytes(text[run..i], output);
                output.GetSpan(1)[0] = value;
                output.Advance(1);
                i += 2;
                run = i + 1;
            }
        }

        Encoding.UTF8.GetBytes(text[run..], output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Every byte but RFC 3986's unreserved characters as <c>%XX</c>, as <see cref="Uri.EscapeDataString(string)"/> writes UTF-8.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
