using System.Globalization;
using System.Text;
using System.Text.Json;
using Synapse.Alerts.Outbox;

namespace Synapse.Alerts.Delivery;

/// <summary>
/// The body sent for an alert: <c>json</c> is <c>{"id","type","occurredAt","keyId","teamId","details"}</c>;
/// <c>slack</c> is <c>{"text": "…"}</c> for an incoming-webhook URL. Both are built from the stored alert only.
/// </summary>
public static class WebhookPayload
{
    public static byte[] Render(StoredAlert alert, string format)
    {
        ArgumentNullException.ThrowIfNull(alert);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (format == WebhookOptions.SlackFormat)
            {
                json.WriteString("text", SlackText(alert));
            }
            else
            {
                json.WriteString("id", alert.Id.ToString("D"));
                json.WriteString("type", alert.Type);
                json.WriteString("occurredAt", alert.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                WriteNullable(json, "keyId", alert.KeyId);
                WriteNullable(json, "teamId", alert.TeamId);
                json.WritePropertyName("details");
                json.WriteRawValue(alert.DetailsJson);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static string SlackText(StoredAlert alert)
    {
        var text = new StringBuilder(":rotating_light: Synapse alert *").Append(alert.Type).Append('*');
        if (alert.KeyId is not null)
        {
            text.Append(" for key `").Append(alert.KeyId).Append('`');
        }

        if (alert.TeamId is not null)
        {
            text.Append(alert.KeyId is null ? " for team `" : " (team `").Append(alert.TeamId).Append(alert.KeyId is null ? "`" : "`)");
        }

        text.Append(" at ").Append(alert.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        using var details = JsonDocument.Parse(alert.DetailsJson);
        var parts = details.RootElement.EnumerateObject().Select(p => p.Name + "=" + (p.Value.ValueKind switch
        {
            JsonValueKind.String => p.Value.GetString(),
            JsonValueKind.Array => string.Join(",", p.Value.EnumerateArray().Select(e => e.ToString())),
            _ => p.Value.GetRawText(),
        }));
        return text.Append(": ").AppendJoin(", ", parts).Append(" (id ").Append(alert.Id.ToString("D")).Append(')').ToString();
    }
}
