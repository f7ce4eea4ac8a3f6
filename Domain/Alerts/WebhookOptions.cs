
namespace Synapse.Alerts;

/// <summary>One webhook target (<c>Synapse:Alerts:Webhooks:{name}</c>).</summary>
public sealed class WebhookOptions
{
    public const string JsonFormat = "json";
    public const string SlackFormat = "slack";

    /// <summary>An absolute http(s) URL. Link-local and cloud-metadata targets are refused.</summary>
    public string Url { get; set; } = "";

    /// <summary>The HMAC-SHA256 key of <c>X-Synapse-Signature</c>. Never logged.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Alert types to send; empty sends every type.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary><c>json</c> (the alert object) or <c>slack</c> (<c>{"text": …}</c>); both are signed.</summary>
    public string Format { get; set; } = JsonFormat;

    public bool Accepts(string alertType) => Events.Count == 0 || Events.Contains(alertType, StringComparer.Ordinal);
}
