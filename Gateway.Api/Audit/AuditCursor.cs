using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Synapse.Gateway.Audit;

/// <summary>The opaque keyset cursor: base64url of <c>"a1:" + the last id shown</c>.</summary>
internal static class AuditCursor
{
    private const string Prefix = "a1:";

    public static string Encode(long beforeId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + beforeId.ToString(CultureInfo.InvariantCulture)));

    public static long? Decode(string cursor)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                ? id
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
