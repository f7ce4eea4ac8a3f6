namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Which web pages may call the client APIs (<c>/v1</c>, Azure's <c>/openai</c>) from a browser,
/// bound from <c>Synapse:Cors</c>. The key travels in a header, never in a cookie, so a page can
/// only use a key it already holds; the admin API is never cross-origin.
/// </summary>
public sealed class ClientCorsOptions
{
    public const string SectionName = "Synapse:Cors";

    /// <summary>
    /// Origins (<c>https://chat.example.org</c>, <c>http://localhost:3000</c>) whose pages may
    /// call; <c>*</c> alone for any page. Empty, the default: none, and a browser's preflight is
    /// answered without permission.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long a browser may keep a preflight's answer.</summary>
    public int PreflightMaxAgeSeconds { get; set; } = 600;
}
