using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using Synapse.Grains;
using Synapse.Alerts;
using Synapse.Grains.Alerts;
using Synapse.Grains.Interfaces.Alerts;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Alerts;

/// <summary>
/// The activity grains in an in-process cluster whose clock is fake: the grains' timers close
/// minutes at the fake time, and a capturing sink stands in for the outbox. A call filter counts
/// what each grain has finished handling (signals, minutes, timer ticks), so the tests wait for
/// work to be done instead of for time to pass.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ActivityGrainTests(ActivityClusterFixture fixture) : IClassFixture<ActivityClusterFixture>
{
    private readonly FakeTimeProvider _clock = fixture.Clock;
    private readonly ActivityClusterFixture.CapturingSink _sink = fixture.Sink;
    private readonly ActivityClusterFixture.HandledCalls _handled = fixture.Handled;
    private readonly InProcessTestCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task UsageSpike_KeyAndTeam_EachFireOnce_WhenTheTimerClosesTheMinute()
    {
        var keyId = $"key-{Guid.NewGuid():N}";
        var teamId = $"team-{Guid.NewGuid():N}";
        var grain = _cluster.Client.GetGrain<IKeyActivityGrain>(keyId);

        // Record is one-way, so the grain may see a signal well after it was sent: with the clock
        // jumping a minute per step, its timer would close minutes before their signals arrive.
        // The ten ordinary minutes are therefore stamped ahead of the clock, and close as later
        // signals arrive; the spike minute is then closed by the timer alone. One-way calls are not
        // ordered either: a signal of one minute that arrived after the next minute's first would
        // count in the next minute (the tracker's rule for a late signal), and under load enough of
        // them did to make a spike of an ordinary minute. So each minute's signals are handled before
        // the next minute's are sent.
        var start = _clock.GetUtcNow();
        for (var minute = 0; minute < 10; minute++)
        {
            for (var i = 0; i < 10; i++)
            {
                await grain.Record(AlertSamples.Request(keyId, start.AddMinutes(minute), teamId: teamId));
            }

            var sent = (minute + 1) * 10;
            await Eventually.ValueAsync(() => _handled.Of(keyId, nameof(IKeyActivityGrain.Record)), n => n >= sent);
        }

        for (var i = 0; i < 300; i++)
        {
            await grain.Record(AlertSamples.Request(keyId, start.AddMinutes(10), teamId: teamId));
        }

        // The key's grain has taken every one-way signal off its queue (an alert a signal raises is
        // published within its call), and the ten ordinary minutes it closed on the way have
        // reached the team's.
        var handled = await Eventually.ValueAsync(
            () => (Signals: _handled.Of(keyId, nameof(IKeyActivityGrain.Record)), Minutes: _handled.Of(teamId, nameof(ITeamActivityGrain.RecordMinute)), MinutesSent: _handled.SentTo(teamId, nameof(ITeamActivityGrain.RecordMinute))),
            h => h.Signals == 400 && h.MinutesSent > 0 && h.Minutes == h.MinutesSent);
        Assert.True(handled.Signals == 400 && handled.Minutes == handled.MinutesSent, $"{handled} handled of 400 signals; calls seen: {_handled}");
        Assert.True(!_sink.Alerts.Any(a => a.TeamId == teamId), "Alerts before the spike minute ended: " + Describe(teamId));

        // The clock catches up with the signals, and the spike minute ends: only the grains'
        // timers can close it now.
        _clock.Advance(TimeSpan.FromMinutes(11));
        await WaitForAsync(() => _sink.Alerts.Count(a => a.TeamId == teamId) >= 2, () => Describe(teamId));

        // Neither fires again: well past the team's settling time, both grains' timers have ticked
        // (a tick that began before the jump counts once, hence two) before the alerts are counted.
        var (keyTicks, teamTicks) = (_handled.TicksOf(keyId), _handled.TicksOf(teamId));
        _clock.Advance(TimeSpan.FromSeconds(200));
        await WaitForAsync(() => _handled.TicksOf(keyId) >= keyTicks + 2 && _handled.TicksOf(teamId) >= teamTicks + 2, () => Describe(teamId));

        var alerts = _sink.Alerts.Where(a => a.TeamId == teamId).OrderBy(a => a.Details["scope"]).ToList();
        Assert.True(alerts.Count == 2, Describe(teamId));
        Assert.All(alerts, a => Assert.Equal((AlertTypes.UsageSpike, "requests"), (a.Type, (string)a.Details["metric"])));
        Assert.Equal(("key", keyId, teamId), ((string)alerts[0].Details["scope"], alerts[0].KeyId, alerts[0].TeamId));
        Assert.Equal(("team", null, teamId), ((string)alerts[1].Details["scope"], alerts[1].KeyId, alerts[1].TeamId));
    }

    [Fact]
    public async Task DlpSignals_RaiseAlertsWithoutWaitingForTheMinute()
    {
        var keyId = $"key-{Guid.NewGuid():N}";
        var grain = _cluster.Client.GetGrain<IKeyActivityGrain>(keyId);

        await grain.Record(AlertSamples.DlpAlert(keyId, _clock.GetUtcNow(), "email"));
        for (var i = 0; i < 7; i++)
        {
            await grain.Record(AlertSamples.Block(keyId, _clock.GetUtcNow(), "credit_card"));
        }

        // Both alerts are raised by the signals themselves: once the grain has handled all eight,
        // every alert they raise is in the sink.
        await Eventually.HoldsAsync(() => _handled.Of(keyId, nameof(IKeyActivityGrain.Record)) == 8);
        var types = _sink.Alerts.Where(a => a.KeyId == keyId).Select(a => a.Type).Order().ToList();
        Assert.Equal([AlertTypes.DlpAlert, AlertTypes.DlpRepeatedBlocks], types);
    }

    private string Describe(string teamId) => string.Join("; ", _sink.Alerts.Where(a => a.TeamId == teamId)
        .Select(a => $"{a.Type} at {a.OccurredAt:HH:mm:ss.fff} ({string.Join(", ", a.Details.Select(d => $"{d.Key}={d.Value}"))})")) + $"; clock {_clock.GetUtcNow():HH:mm:ss.fff}";

    // Orleans' grain timers run on the silo's TimeProvider: nudging the fake clock lets them tick.
    private async Task WaitForAsync(Func<bool> condition, Func<string>? describe = null)
    {
        // Small steps: if signals are still queued when their minute closes, they count in the next
        // minute, which stays open for another 600 steps. Large steps would close a minute at
        // every tick and scatter late signals one or two to a minute.
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for alerts: " + describe?.Invoke());
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(20);
        }
    }
}

/// <summary>One in-process cluster on a fake clock for the activity grain tests; each test uses its own keys.</summary>
public sealed class ActivityClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(AlertSamples.Start);

    public CapturingSink Sink { get; } = new();

    public HandledCalls Handled { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Synapse:Alerts:TickInterval"] = "00:00:00.050",
            // Fake seconds: the key grains report a minute on their first tick after it ends; the
            // team must not judge it before those one-way reports have arrived.
            ["Synapse:Alerts:TeamSettleDelay"] = "00:00:05",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Synapse);
            // The fake clock jumps minutes at a time; idle collection would follow it.
            silo.Configure<Orleans.Configuration.GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromDays(1));

            // Message expiry runs on the same clock: a jump of minutes would drop queued signals.
            silo.Configure<Orleans.Configuration.SiloMessagingOptions>(o =>
            {
                o.ResponseTimeout = TimeSpan.FromDays(1);
                o.DropExpiredMessages = false;
            });
            silo.AddIncomingGrainCallFilter(Handled);
            silo.AddOutgoingGrainCallFilter(Handled);
            silo.Services.AddSingleton<IAlertSink>(Sink);
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddSynapseAlertDetection(configuration);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        // The silo's shutdown waits on the fake clock too: keep it moving until the cluster is gone.
        using var stop = new CancellationTokenSource();
        var ticking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(10);
            }
        });
        await Cluster.DisposeAsync();
        await stop.CancelAsync();
        await ticking;
    }

    /// <summary>
    /// How many calls each grain (by its key) has finished, by method (grain timers tick through
    /// the call pipeline too: <see cref="TimerTick"/>), and how many grains sent it.
    /// </summary>
    public sealed class HandledCalls : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
    {
        public const string TimerTick = "InvokeCallbackAsync";

        private readonly ConcurrentDictionary<(string Grain, string Method), int> _counts = new();
        private readonly ConcurrentDictionary<(string Grain, string Method), int> _sent = new();

        public int Of(string grainKey, string method) => _counts.GetValueOrDefault((grainKey, method));

        public int SentTo(string grainKey, string method) => _sent.GetValueOrDefault((grainKey, method));

        public int TicksOf(string grainKey) => Of(grainKey, TimerTick);

        public override string ToString() => string.Join(", ", _counts.Select(c => $"{c.Key.Method}@{c.Key.Grain[..Math.Min(12, c.Key.Grain.Length)]}={c.Value}"));

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            _sent.AddOrUpdate((context.TargetId.Key.ToString()!, context.MethodName), 1, (_, count) => count + 1);
            return context.Invoke();
        }

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            try
            {
                await context.Invoke();
            }
            finally
            {
                _counts.AddOrUpdate((context.TargetId.Key.ToString()!, context.MethodName), 1, (_, count) => count + 1);
            }
        }
    }

    public sealed class CapturingSink : IAlertSink
    {
        private readonly ConcurrentQueue<AlertEvent> _alerts = new();

        public IReadOnlyList<AlertEvent> Alerts => [.. _alerts];

        public Task PublishAsync(IReadOnlyList<AlertEvent> alerts, CancellationToken cancellationToken)
        {
            foreach (var alert in alerts)
            {
                _alerts.Enqueue(alert);
            }

            return Task.CompletedTask;
        }
    }
}
