using System.Text;

namespace Synapse.Gateway.Security;

internal static class BearerCredential
{
    /// <summary>The token of <c>Authorization: Bearer …</c>, or null for any other header.</summary>
    public static string? ReadBearer(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header["Bearer ".Length..].Trim() is { Length: > 0 } token ? token : null;

    /// <summary>The password of <c>Authorization: Basic …</c> (any user name), or null.</summary>
    public static string? ReadBasicPassword(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
