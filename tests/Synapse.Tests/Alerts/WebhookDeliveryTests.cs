using System.Net;
using System.Text.Json.Nodes;
using Synapse.Alerts;
using Synapse.Grains.Alerts;
using Synapse.Alerts.Delivery;
using Synapse.Alerts.Outbox;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Alerts;

/// <summary>Delivery from the SQLite outbox to real receivers on 127.0.0.1, driven pass by pass on a fake clock.</summary>
public sealed class WebhookDeliveryTests
{
    private const string Secret = "whsec-test-0123456789abcdef";

    [Fact]
    public async Task JsonFormat_IsSignedSoTheReceiverVerifiesIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        await using var outbox = await OutboxHarness.SqliteAsync(OutboxHarness.Options1("ops", receiver.Url, Secret));
        var alert = OutboxHarness.Alert();
        await outbox.PublishAsync(alert);

        Assert.Equal(1, await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None));

        var received = Assert.Single(receiver.Received);
        Assert.True(received.SignatureValid);
        Assert.Matches("^sha256=[0-9a-f]{64}$", received.Signature);
        Assert.Equal(AlertSamples.Start.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), received.Timestamp);
        Assert.Equal(alert.Id.ToString("D"), received.AlertId);
        var body = JsonNode.Parse(received.Body)!.AsObject();
        Assert.Equal(["id", "type", "occurredAt", "keyId", "teamId", "details"], body.Select(p => p.Key));
        Assert.Equal(alert.Id.ToString("D"), body["id"]!.GetValue<string>());
        Assert.Equal("dlp_alert", body["type"]!.GetValue<string>());
        Assert.Equal("2026-03-04T10:00:00.000Z", body["occurredAt"]!.GetValue<string>());
        Assert.Equal("email", body["details"]!["categories"]![0]!.GetValue<string>());
        var delivery = await outbox.DeliveryAsync(alert.Id, "ops");
        Assert.Equal((OutboxStates.Delivered, 1, 200), (delivery.State, delivery.Attempts, delivery.LastStatus!.Value));
        Assert.Equal(0, await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TamperedBody_FailsTheReceiversCheck()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        await using var outbox = await OutboxHarness.SqliteAsync(OutboxHarness.Options1("ops", receiver.Url, Secret));
        await outbox.PublishAsync(OutboxHarness.Alert());
        await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None);
        var received = Assert.Single(receiver.Received);

        Assert.False(WebhookReceiver.Verify(Secret, received.Timestamp, received.Signature, System.Text.Encoding.UTF8.GetBytes(received.Body + " ")));
        Assert.False(WebhookReceiver.Verify("another-secret-0123456789", received.Timestamp, received.Signature, System.Text.Encoding.UTF8.GetBytes(received.Body)));
    }

    [Fact]
    public async Task SlackFormat_PostsSignedText()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        await using var outbox = await OutboxHarness.SqliteAsync(OutboxHarness.Options1("slack", receiver.Url, Secret, WebhookOptions.SlackFormat));
        var alert = OutboxHarness.Alert();
        await outbox.PublishAsync(alert);

        await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None);

        var received = Assert.Single(receiver.Received);
        Assert.True(received.SignatureValid);
        var body = JsonNode.Parse(received.Body)!.AsObject();
        Assert.Equal(["text"], body.Select(p => p.Key));
        var text = body["text"]!.GetValue<string>();
        Assert.Contains("dlp_alert", text, StringComparison.Ordinal);
        Assert.Contains("key `key-1`", text, StringComparison.Ordinal);
        Assert.Contains("categories=email", text, StringComparison.Ordinal);
        Assert.Contains(alert.Id.ToString("D"), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsFilter_SendsOnlyTheListedTypes()
    {
        await using var all = await WebhookReceiver.StartAsync(Secret);
        await using var dlpOnly = await WebhookReceiver.StartAsync(Secret);
        var options = OutboxHarness.Options1("all", all.Url, Secret);
        options.Webhooks["dlp-only"] = new WebhookOptions { Url = dlpOnly.Url.ToString(), Secret = Secret, Events = ["dlp_alert"] };
        await using var outbox = await OutboxHarness.SqliteAsync(options);
        var spike = OutboxHarness.Alert("usage_spike");
        var dlp = OutboxHarness.Alert("dlp_alert");
        await outbox.PublishAsync(spike, dlp);

        Assert.Equal(3, await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(2, all.Received.Count);
        Assert.Equal(dlp.Id.ToString("D"), Assert.Single(dlpOnly.Received).AlertId);
        var listed = await outbox.Store.ListAsync(10, null, CancellationToken.None);
        Assert.Equal(["all"], listed.Single(l => l.Alert.Id == spike.Id).Deliveries.Select(d => d.Webhook));
    }

    [Fact]
    public async Task ReceiverDown_AlertArrivesOnceWhenItComesBack_WithTheSameId()
    {
        var port = FreePort.Next();
        var url = new Uri($"http://127.0.0.1:{port}/hook");
        await using var outbox = await OutboxHarness.SqliteAsync(OutboxHarness.Options1("ops", url, Secret));
        var alert = OutboxHarness.Alert();
        await outbox.PublishAsync(alert);

        await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None);
        var failing = await outbox.DeliveryAsync(alert.Id, "ops");
        Assert.Equal((OutboxStates.Pending, 1, AlertDispatcher.ConnectionFailed), (failing.State, failing.Attempts, failing.LastError));
        Assert.InRange(failing.NextAttemptAt!.Value - AlertSamples.Start, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

        // Not due yet: nothing is attempted.
        Assert.Equal(0, await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None));

        await using var receiver = await WebhookReceiver.StartAsync(Secret, port);
        outbox.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None));
        outbox.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None));

        var received = Assert.Single(receiver.Received);
        Assert.Equal(alert.Id.ToString("D"), received.AlertId);
        Assert.Equal(alert.Id.ToString("D"), JsonNode.Parse(received.Body)!["id"]!.GetValue<string>());
        Assert.Equal((OutboxStates.Delivered, 2), ((await outbox.DeliveryAsync(alert.Id, "ops")).State, (await outbox.DeliveryAsync(alert.Id, "ops")).Attempts));
    }

    [Fact]
    public async Task Status500_IsRetriedUpToMaxAttempts_ThenMarkedFailed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        receiver.Status = 500;
        await using var outbox = await OutboxHarness.SqliteAsync(OutboxHarness.Options1("ops", receiver.Url, Secret));
        var alert = OutboxHarness.Alert();
        await outbox.PublishAsync(alert);

        for (var pass = 0; pass < 10; pass++)
        {
            await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None);
            outbox.Clock.Advance(outbox.Options.RetryMaxDelay);
        }

        Assert.Equal(outbox.Options.MaxAttempts, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.AlertId).Distinct());
        var delivery = await outbox.DeliveryAsync(alert.Id, "ops");
        Assert.Equal((OutboxStates.Failed, 4, 500, AlertDispatcher.HttpStatus), (delivery.State, delivery.Attempts, delivery.LastStatus!.Value, delivery.LastError));
    }

    [Fact]
    public async Task Redirect_IsNotFollowed_AndCountsAsAFailure()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync(Secret);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        receiver.RedirectTo = elsewhere.Url;
        await using var outbox = await OutboxHarness.SqliteAsync(OutboxHarness.Options1("ops", receiver.Url, Secret));
        var alert = OutboxHarness.Alert();
        await outbox.PublishAsync(alert);

        await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None);

        Assert.Single(receiver.Received);
        Assert.Empty(elsewhere.Received);
        var delivery = await outbox.DeliveryAsync(alert.Id, "ops");
        Assert.Equal((OutboxStates.Pending, 1, 302, AlertDispatcher.Redirect), (delivery.State, delivery.Attempts, delivery.LastStatus!.Value, delivery.LastError));
    }

    [Fact]
    public async Task HangingReceiver_TimesOut()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        receiver.Hang = TimeSpan.FromSeconds(30);
        var options = OutboxHarness.Options1("ops", receiver.Url, Secret);
        options.DeliveryTimeout = TimeSpan.FromMilliseconds(500);
        await using var outbox = await OutboxHarness.SqliteAsync(options);
        var alert = OutboxHarness.Alert();
        await outbox.PublishAsync(alert);

        var started = System.Diagnostics.Stopwatch.StartNew();
        await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None);

        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        var delivery = await outbox.DeliveryAsync(alert.Id, "ops");
        Assert.Equal((OutboxStates.Pending, 1, AlertDispatcher.Timeout), (delivery.State, delivery.Attempts, delivery.LastError));
        Assert.Null(delivery.LastStatus);
    }

    [Fact]
    public async Task DnsRebinding_ToMetadata_IsRefusedAtConnectTime()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        // The name passes the configuration check; at delivery it resolves to the metadata address.
        var url = new Uri($"http://hooks.rebind.test:{receiver.Url.Port}/hook");
        var connector = new WebhookConnector((_, _) => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") }));
        var options = OutboxHarness.Options1("ops", url, Secret);
        Assert.Empty(AlertOptionsValidator.Validate(options));
        await using var outbox = await OutboxHarness.SqliteAsync(options, connector);
        var alert = OutboxHarness.Alert();
        await outbox.PublishAsync(alert);

        await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None);

        Assert.Empty(receiver.Received);
        Assert.Equal(AlertDispatcher.RefusedTarget, (await outbox.DeliveryAsync(alert.Id, "ops")).LastError);
    }

    [Fact]
    public async Task NameResolvingToLoopback_IsAllowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var url = new Uri($"http://receiver.internal.test:{receiver.Url.Port}/hook");
        var connector = new WebhookConnector((_, _) => Task.FromResult(new[] { IPAddress.Loopback }));
        await using var outbox = await OutboxHarness.SqliteAsync(OutboxHarness.Options1("ops", url, Secret), connector);
        await outbox.PublishAsync(OutboxHarness.Alert());

        await outbox.Dispatcher.DeliverDueAsync(CancellationToken.None);

        Assert.True(Assert.Single(receiver.Received).SignatureValid);
    }

    [Fact]
    public async Task AlertWithoutWebhooks_IsStoredAndListed()
    {
        await using var outbox = await OutboxHarness.SqliteAsync(new AlertOptions());
        var alert = OutboxHarness.Alert("off_hours_burst");
        await outbox.PublishAsync(alert);
        await outbox.PublishAsync(alert);

        var listed = Assert.Single(await outbox.Store.ListAsync(10, "off_hours_burst", CancellationToken.None));
        Assert.Equal(alert.Id, listed.Alert.Id);
        Assert.Empty(listed.Deliveries);
        Assert.Empty(await outbox.Store.ListAsync(10, "usage_spike", CancellationToken.None));
    }
}
