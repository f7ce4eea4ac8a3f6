namespace Synapse.Grains.Providers;

internal static class ProviderUris
{
    /// <summary>Appends a relative path to a base URL whether or not the base ends in a slash.</summary>
    public static Uri Combine(Uri baseUrl, string relativePath)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        return new Uri(root, relativePath);
    }
}
