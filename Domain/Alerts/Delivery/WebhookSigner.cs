using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Synapse.Alerts.Delivery;

/// <summary>
/// <c>X-Synapse-Signature: sha256=&lt;hex&gt;</c>: lower-case hex HMAC-SHA256, keyed with the
/// webhook's secret, of <c>"{X-Synapse-Timestamp}.{body}"</c> (the body exactly as sent).
/// </summary>
public static class WebhookSigner
{
    public const string TimestampHeader = "X-Synapse-Timestamp";
    public const string SignatureHeader = "X-Synapse-Signature";
    public const string AlertIdHeader = "X-Synapse-Alert-Id";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }
}
