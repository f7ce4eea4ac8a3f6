using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Alerts.Delivery;
using Synapse.Alerts.Outbox;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Alerts;

/// <summary>The outbox on a real PostgreSQL server: claims by several silos never overlap.</summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresAlertOutboxTests(PostgresServer server)
{
    private const string Secret = "whsec-test-0123456789abcdef";

    [Fact]
    public async Task ConcurrentClaims_AreDisjoint_LeasedRowsStayClaimed_AndExpiredLeasesComeBack()
    {
        await using var outbox = await CreateAsync(OutboxHarness.Options1("ops", new Uri("http://127.0.0.1:9/hook"), Secret));
        var alerts = Enumerable.Range(0, 40).Select(_ => OutboxHarness.Alert()).ToArray();
        await outbox.PublishAsync(alerts);
        var now = AlertSamples.Start;
        var lease = TimeSpan.FromMinutes(1);

        // Four silos claim at once, round after round, until nothing is left: no row twice.
        var claimed = new List<OutboxItem>();
        while (true)
        {
            var round = (await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => outbox.Store.ClaimAsync(7, now, lease, CancellationToken.None))))).SelectMany(c => c).ToList();
            if (round.Count == 0)
            {
                break;
            }

            claimed.AddRange(round);
        }

        Assert.Equal(40, claimed.Count);
        Assert.Equal(40, claimed.Select(i => i.Id).Distinct().Count());
        Assert.Equal(alerts.Select(a => a.Id).Order(), claimed.Select(i => i.Alert.Id).Order());
        Assert.Empty(await outbox.Store.ClaimAsync(10, now.AddSeconds(59), lease, CancellationToken.None));

        // Only the lease holder writes a result.
        var first = claimed[0];
        Assert.False(await outbox.Store.CompleteAsync(first with { LeaseToken = "not-mine" }, new AttemptResult(OutboxStates.Delivered, now, 200, null, null), CancellationToken.None));
        Assert.True(await outbox.Store.CompleteAsync(first, new AttemptResult(OutboxStates.Delivered, now, 200, null, null), CancellationToken.None));

        // A silo that died holding leases: its rows are claimable once the lease has run out.
        var reclaimed = await outbox.Store.ClaimAsync(100, now + lease, lease, CancellationToken.None);
        Assert.Equal(39, reclaimed.Count);
        Assert.DoesNotContain(first.Id, reclaimed.Select(i => i.Id));
    }

    [Fact]
    public async Task TwoDispatchers_DeliverEachAlertOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var options = OutboxHarness.Options1("ops", receiver.Url, Secret);
        options.DeliveryBatchSize = 5;
        await using var silo1 = await CreateAsync(options);
        await using var silo2 = await OutboxHarness.CreateAsync(silo1.Database, options);
        var alerts = Enumerable.Range(0, 30).Select(_ => OutboxHarness.Alert()).ToArray();
        await silo1.PublishAsync(alerts);

        async Task DrainAsync(AlertDispatcher dispatcher)
        {
            while (await dispatcher.DeliverDueAsync(CancellationToken.None) > 0)
            {
            }
        }

        await Task.WhenAll(Task.Run(() => DrainAsync(silo1.Dispatcher)), Task.Run(() => DrainAsync(silo2.Dispatcher)));

        Assert.Equal(30, receiver.Received.Count);
        Assert.Equal(alerts.Select(a => a.Id.ToString("D")).Order(), receiver.Received.Select(r => r.AlertId).Order());
        Assert.All(receiver.Received, r => Assert.True(r.SignatureValid));
        var listed = await silo1.Store.ListAsync(100, null, CancellationToken.None);
        Assert.All(listed, l => Assert.Equal((OutboxStates.Delivered, 1), (l.Deliveries.Single().State, l.Deliveries.Single().Attempts)));
    }

    private async Task<OutboxHarness> CreateAsync(Synapse.Alerts.AlertOptions options) =>
        await OutboxHarness.CreateAsync(new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("alerts")), options);
}
