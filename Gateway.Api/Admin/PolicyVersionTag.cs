using Microsoft.Net.Http.Headers;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The DLP policy's version as an HTTP entity tag (<c>"v7"</c>): its GET and PUT answers carry it
/// in <c>ETag</c>, and a PUT that sends it back in <c>If-Match</c> replaces only the policy it
/// read — two admins editing at once get a 412 instead of undoing each other's change.
/// </summary>
internal static class PolicyVersionTag
{
    public static string Of(long version) => $"\"v{version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version <c>If-Match</c> names; <c>null</c> when there is none or it is <c>*</c> (the
    /// replacement is then unconditional), -1 when it names no version of this policy (it then
    /// matches none: 412).
    /// </summary>
    public static long? Expected(HttpRequest request)
    {
        var tags = request.GetTypedHeaders().IfMatch;
        if (tags.Count == 0 || tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return null;
        }

        var tag = tags[0].Tag.Value ?? string.Empty;
        return tag.Length > 3 && tag.StartsWith("\"v", StringComparison.Ordinal) && tag.EndsWith('"')
            && long.TryParse(tag.AsSpan(2, tag.Length - 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }
}
