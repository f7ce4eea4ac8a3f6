using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Grains.Interfaces.Alerts;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Alerts;

/// <summary>Alerts through the real all-in-one gateway: the SQLite outbox, the delivery loop, restarts and the admin API.</summary>
[Trait("Category", "Slow")]
public sealed class GatewayAlertsTests
{
    private const string Secret = "whsec-gateway-0123456789abcdef";

    [Fact]
    public async Task AlertRaisedWhileTheReceiverIsDown_IsDeliveredOnceAfterARestart_WithTheSameId()
    {
        var port = FreePort.Next();
        var settings = Settings(port);
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        string alertId;
        await using (var first = await GatewayHost.StartAsync(settings, dataDirectory))
        {
            await RaiseDlpAlertAsync(first, "key-restart");
            var delivery = await WaitForDeliveryAsync(first, d => d["state"]!.GetValue<string>() == "failing");
            Assert.Equal("connection_failed", delivery["lastError"]!.GetValue<string>());
            Assert.True(delivery["attempts"]!.GetValue<int>() >= 1);
            alertId = (await ListAsync(first))[0]!["id"]!.GetValue<string>();
        }

        await using var receiver = await WebhookReceiver.StartAsync(Secret, port);
        await using var second = await GatewayHost.StartAsync(settings, dataDirectory);
        var delivered = await WaitForDeliveryAsync(second, d => d["state"]!.GetValue<string>() == "delivered");

        // Once: a later alert is delivered too, so the loop has read the outbox again since.
        await RaiseDlpAlertAsync(second, "key-restart-later");
        await Eventually.HoldsAsync(() => receiver.Received.Any(r => r.AlertId != alertId), TimeSpan.FromSeconds(20));

        var received = Assert.Single(receiver.Received, r => r.AlertId == alertId);
        Assert.True(received.SignatureValid);
        Assert.Equal(alertId, received.AlertId);
        Assert.Equal(alertId, JsonNode.Parse(received.Body)!["id"]!.GetValue<string>());
        Assert.Equal(200, delivered["lastStatus"]!.GetValue<int>());
        Assert.NotNull(delivered["deliveredAt"]);
    }

    [Fact]
    public async Task ADlpAlertInARealRequest_ReachesTheWebhookSigned_WithoutThePromptText()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = Settings(receiver.Url.Port);
        foreach (var (key, value) in GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"))
        {
            settings[key] = value;
        }

        await using var gateway = await GatewayHost.StartAsync(settings);
        var (keyId, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using var client = gateway.ClientFor(secret);

        // The mock echoes the prompt, so the address is in the answer too: two alert actions.
        var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "why does 10.20.30.40 time out? marker-7f3a" } } });
        var count = await Eventually.ValueAsync(() => receiver.Received.Count, c => c >= 2, TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, count);
        foreach (var received in receiver.Received)
        {
            Assert.True(received.SignatureValid);
            var alert = JsonNode.Parse(received.Body)!;
            Assert.Equal("dlp_alert", alert["type"]!.GetValue<string>());
            Assert.Equal(keyId, alert["keyId"]!.GetValue<string>());
            Assert.Equal("ip_address", alert["details"]!["categories"]![0]!.GetValue<string>());
            Assert.DoesNotContain("10.20.30.40", received.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("marker-7f3a", received.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AdminApi_ListsAlertsWithDeliveryState_AndFiltersByType()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var settings = Settings(receiver.Url.Port);
        await using var gateway = await GatewayHost.StartAsync(settings);
        await RaiseDlpAlertAsync(gateway, "key-api");
        await WaitForDeliveryAsync(gateway, d => d["state"]!.GetValue<string>() == "delivered");

        var items = await ListAsync(gateway, "?type=dlp_alert&limit=10");
        var alert = Assert.Single(items)!;
        Assert.Equal("dlp_alert", alert["type"]!.GetValue<string>());
        Assert.Equal("key-api", alert["keyId"]!.GetValue<string>());
        Assert.Equal("team-api", alert["teamId"]!.GetValue<string>());
        Assert.Equal("credit_card", alert["details"]!["categories"]![0]!.GetValue<string>());
        var delivery = alert["deliveries"]!.AsArray().Single()!;
        Assert.Equal(("ops", "delivered", 1), (delivery["webhook"]!.GetValue<string>(), delivery["state"]!.GetValue<string>(), delivery["attempts"]!.GetValue<int>()));
        Assert.Empty(await ListAsync(gateway, "?type=usage_spike"));
        Assert.DoesNotContain(Secret, await gateway.Admin.GetStringAsync(new Uri("/admin/api/alerts", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetadataWebhook_StopsTheGatewayFromStarting()
    {
        var settings = Settings(FreePort.Next());
        settings["Synapse:Alerts:Webhooks:ops:Url"] = "http://169.254.169.254/latest/meta-data/";

        var error = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(settings));

        Assert.Contains("Synapse:Alerts:Webhooks:ops:Url", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    internal static Dictionary<string, string?> Settings(int receiverPort) => new()
    {
        ["Synapse:Alerts:Webhooks:ops:Url"] = $"http://127.0.0.1:{receiverPort.ToString(CultureInfo.InvariantCulture)}/hook",
        ["Synapse:Alerts:Webhooks:ops:Secret"] = Secret,
        ["Synapse:Alerts:RetryBaseDelay"] = "00:00:00.200",
        ["Synapse:Alerts:RetryMaxDelay"] = "00:00:00.500",
        ["Synapse:Alerts:DeliveryPollInterval"] = "00:00:00.100",
        ["Synapse:Alerts:MaxAttempts"] = "1000",
    };

    private static async Task RaiseDlpAlertAsync(GatewayHost gateway, string keyId)
    {
        var grains = gateway.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<IKeyActivityGrain>(keyId).Record(
            new ActivitySignal("req-1", keyId, keyId.Replace("key", "team", StringComparison.Ordinal), DateTimeOffset.UtcNow, ActivityKind.DlpAlert) { Categories = ["credit_card"] });
    }

    private static async Task<JsonArray> ListAsync(GatewayHost gateway, string query = "") =>
        (await gateway.Admin.GetFromJsonAsync<JsonObject>(new Uri("/admin/api/alerts" + query, UriKind.Relative)))!["items"]!.AsArray();

    private static async Task<JsonNode> WaitForDeliveryAsync(GatewayHost gateway, Func<JsonNode, bool> condition)
    {
        var delivery = await Eventually.ValueAsync(
            async () => (await ListAsync(gateway)).SingleOrDefault()?["deliveries"]?.AsArray().SingleOrDefault(),
            d => d is not null && condition(d),
            TimeSpan.FromSeconds(20));
        Assert.NotNull(delivery);
        Assert.True(condition(delivery), "Timed out waiting for the delivery state; last: " + delivery.ToJsonString());
        return delivery;
    }
}
