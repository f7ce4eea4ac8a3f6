using Microsoft.Extensions.Time.Testing;
using Synapse.Alerts;
using Synapse.Grains.Alerts;
using Synapse.Alerts.Detection;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Tests.Alerts;

/// <summary>The detection rules, minute by minute on a fake clock.</summary>
public sealed class KeyActivityTrackerTests
{
    private readonly FakeTimeProvider _clock = new(AlertSamples.Start);
    private readonly AlertOptions _options = new() { OffHoursRequestThreshold = 0 };

    [Fact]
    public void UsageSpike_FiresOncePerCooldownWindow_AfterTheMinuteCloses()
    {
        var tracker = Tracker();
        var alerts = new List<AlertEvent>();
        RunMinutes(tracker, alerts, minutes: 10, requestsPerMinute: 10);
        Assert.Empty(alerts);

        // Five minutes at 20x the baseline: one alert, when the first of them closes.
        for (var m = 0; m < 5; m++)
        {
            Send(tracker, alerts, 200);
            Assert.Equal(m == 0 ? 0 : 1, alerts.Count);
            Tick(tracker, alerts, TimeSpan.FromMinutes(1));
        }

        var spike = Assert.Single(alerts);
        Assert.Equal(AlertTypes.UsageSpike, spike.Type);
        Assert.Equal("requests", spike.Details["metric"]);
        Assert.Equal(200L, spike.Details["observed"]);
        Assert.Equal(10.0, (double)spike.Details["baseline"], 1);
        Assert.Equal("key-1", spike.KeyId);
        Assert.Equal("team-1", spike.TeamId);
        Assert.Equal(AlertSamples.Start.AddMinutes(11), spike.OccurredAt);
    }

    [Fact]
    public void UsageSpike_NextWindow_FiresAgain()
    {
        var tracker = Tracker();
        var alerts = new List<AlertEvent>();
        RunMinutes(tracker, alerts, minutes: 10, requestsPerMinute: 10);
        RunMinutes(tracker, alerts, minutes: 1, requestsPerMinute: 500);
        RunMinutes(tracker, alerts, minutes: _options.SpikeCooldownMinutes + 30, requestsPerMinute: 1);
        RunMinutes(tracker, alerts, minutes: 1, requestsPerMinute: 500);

        Assert.Equal(2, alerts.Count(a => a.Type == AlertTypes.UsageSpike));
    }

    [Fact]
    public void UsageSpike_QuietKeyBelowTheFloor_DoesNotAlarm()
    {
        var tracker = Tracker();
        var alerts = new List<AlertEvent>();
        RunMinutes(tracker, alerts, minutes: 10, requestsPerMinute: 0);
        RunMinutes(tracker, alerts, minutes: 10, requestsPerMinute: 1);
        RunMinutes(tracker, alerts, minutes: 1, requestsPerMinute: 29);

        Assert.Empty(alerts);
    }

    [Fact]
    public void UsageSpike_DuringWarmup_DoesNotAlarm_AndIdleMinutesDecayTheBaseline()
    {
        var tracker = Tracker();
        var alerts = new List<AlertEvent>();
        RunMinutes(tracker, alerts, minutes: 1, requestsPerMinute: 300);
        Assert.Empty(alerts);

        // A long quiet spell: the 300/min baseline decays to nearly nothing.
        _clock.Advance(TimeSpan.FromHours(5));
        RunMinutes(tracker, alerts, minutes: 1, requestsPerMinute: 300);

        Assert.Single(alerts);
        Assert.True(tracker.Spikes.Baseline.ObservedMinutes > 300);
    }

    [Fact]
    public void TokenSpike_UsesSettledTokensInsteadOfEstimates()
    {
        var tracker = Tracker();
        var alerts = new List<AlertEvent>();
        RunMinutes(tracker, alerts, minutes: 10, requestsPerMinute: 10, tokens: 100);

        // Small estimates, huge settled totals: the settled numbers count.
        var signals = Enumerable.Range(0, 10).Select(_ => AlertSamples.Request("key-1", _clock.GetUtcNow(), tokens: 100)).ToList();
        foreach (var signal in signals)
        {
            alerts.AddRange(tracker.Record(signal).Alerts);
            alerts.AddRange(tracker.Record(new ActivitySignal(signal.RequestId, "key-1", "team-1", _clock.GetUtcNow(), ActivityKind.TokensSettled) { Tokens = 20_000 }).Alerts);
        }

        Tick(tracker, alerts, TimeSpan.FromMinutes(1));

        var spike = Assert.Single(alerts);
        Assert.Equal("tokens", spike.Details["metric"]);
        Assert.Equal(200_000L, spike.Details["observed"]);
    }

    [Fact]
    public void DlpRepeatedBlocks_FiresOncePerWindow_WithCategories()
    {
        var tracker = Tracker();
        var alerts = new List<AlertEvent>();
        for (var i = 0; i < 12; i++)
        {
            alerts.AddRange(tracker.Record(AlertSamples.Block("key-1", _clock.GetUtcNow(), i % 2 == 0 ? "credit_card" : "us_ssn")).Alerts);
            _clock.Advance(TimeSpan.FromSeconds(30));
        }

        var alert = Assert.Single(alerts);
        Assert.Equal(AlertTypes.DlpRepeatedBlocks, alert.Type);
        Assert.Equal(5L, alert.Details["blocks"]);
        Assert.Equal(new[] { "credit_card", "us_ssn" }, (string[])alert.Details["categories"]);

        // Once the window has passed, five more blocks raise the next one.
        _clock.Advance(TimeSpan.FromMinutes(10));
        for (var i = 0; i < 5; i++)
        {
            alerts.AddRange(tracker.Record(AlertSamples.Block("key-1", _clock.GetUtcNow(), "credit_card")).Alerts);
        }

        Assert.Equal(2, alerts.Count);
    }

    [Fact]
    public void DlpRepeatedBlocks_SpreadBeyondTheWindow_DoNotFire()
    {
        var tracker = Tracker();
        var alerts = new List<AlertEvent>();
        for (var i = 0; i < 20; i++)
        {
            alerts.AddRange(tracker.Record(AlertSamples.Block("key-1", _clock.GetUtcNow(), "credit_card")).Alerts);
            _clock.Advance(TimeSpan.FromMinutes(2.5));
        }

        Assert.Empty(alerts);
    }

    [Fact]
    public void OffHoursBurst_FiresOncePerWindow_AndNotInBusinessHours()
    {
        _options.OffHoursRequestThreshold = 3;
        _options.TimeZone = "Europe/Berlin";
        var tracker = Tracker();
        var alerts = new List<AlertEvent>();

        // Wednesday 10:00 UTC is 11:00 in Berlin: business hours.
        for (var i = 0; i < 10; i++)
        {
            alerts.AddRange(tracker.Record(AlertSamples.Request("key-1", _clock.GetUtcNow())).Alerts);
        }

        Assert.Empty(alerts);

        // 17:30 UTC is 18:30 in Berlin: off hours. Ten requests, one alert.
        _clock.Advance(TimeSpan.FromHours(7.5));
        for (var i = 0; i < 10; i++)
        {
            alerts.AddRange(tracker.Record(AlertSamples.Request("key-1", _clock.GetUtcNow())).Alerts);
        }

        var alert = Assert.Single(alerts, a => a.Type == AlertTypes.OffHoursBurst);
        Assert.Equal(4L, alert.Details["requests"]);

        // The next hour is a new window.
        _clock.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 10; i++)
        {
            alerts.AddRange(tracker.Record(AlertSamples.Request("key-1", _clock.GetUtcNow())).Alerts);
        }

        Assert.Equal(2, alerts.Count(a => a.Type == AlertTypes.OffHoursBurst));
    }

    [Fact]
    public void OffHoursBurst_Weekend_IsOffHoursAllDay()
    {
        _options.OffHoursRequestThreshold = 1;
        var tracker = Tracker();
        var saturdayNoon = AlertSamples.Start.AddDays(3).AddHours(2);

        var alerts = tracker.Record(AlertSamples.Request("key-1", saturdayNoon)).Alerts
            .Concat(tracker.Record(AlertSamples.Request("key-1", saturdayNoon)).Alerts)
            .ToList();

        Assert.Single(alerts);
    }

    [Fact]
    public void DlpAlert_OnePerRequest_CarriesCategoriesOnly()
    {
        var tracker = Tracker();
        var signal = AlertSamples.DlpAlert("key-1", _clock.GetUtcNow(), "email", "email", "phone");

        var alert = Assert.Single(tracker.Record(signal).Alerts);

        Assert.Equal(AlertTypes.DlpAlert, alert.Type);
        Assert.Equal(signal.RequestId, alert.Details["requestId"]);
        Assert.Equal(new[] { "email", "phone" }, (string[])alert.Details["categories"]);
        Assert.Equal(2, alert.Details.Count);
    }

    [Fact]
    public void ExpiredKeyUse_AlertsOnceAnHour_WhileTheKeyKeepsBeingTried()
    {
        var tracker = Tracker();
        var start = _clock.GetUtcNow();
        ActivitySignal Use(TimeSpan after) => new("req-" + after.TotalSeconds, "key-1", "team-1", start + after, ActivityKind.ExpiredKeyUse);

        var first = Assert.Single(tracker.Record(Use(TimeSpan.Zero)).Alerts);
        var during = Enumerable.Range(1, 59).SelectMany(m => tracker.Record(Use(TimeSpan.FromMinutes(m))).Alerts).ToList();
        var next = tracker.Record(Use(TimeSpan.FromMinutes(60))).Alerts;

        Assert.Equal(AlertTypes.ExpiredKeyUsed, first.Type);
        Assert.Equal("key-1", first.KeyId);
        Assert.Equal("team-1", first.TeamId);
        Assert.Equal("req-0", first.Details["requestId"]);
        Assert.Empty(during);
        Assert.Equal(AlertTypes.ExpiredKeyUsed, Assert.Single(next).Type);
        Assert.Contains(AlertTypes.ExpiredKeyUsed, AlertTypes.All);
    }

    [Fact]
    public void ClosedMinutes_AreForwardedForTheTeam()
    {
        var tracker = Tracker();
        tracker.Record(AlertSamples.Request("key-1", _clock.GetUtcNow(), tokens: 7));
        tracker.Record(AlertSamples.Request("key-1", _clock.GetUtcNow(), tokens: 5));

        Assert.Empty(tracker.Advance(_clock.GetUtcNow().AddSeconds(59)).ClosedMinutes);
        var minute = Assert.Single(tracker.Advance(_clock.GetUtcNow().AddMinutes(1)).ClosedMinutes);

        Assert.Equal(new KeyMinute("key-1", AlertSamples.Start, 2, 12), minute);
    }

    [Fact]
    public void TeamSpike_SumsKeys_AndJudgesAMinuteAfterTheSettleDelay()
    {
        var team = new TeamActivityTracker("team-1", _options);
        var alerts = new List<AlertEvent>();
        var minute = AlertSamples.Start;
        for (var m = 0; m < 10; m++, minute = minute.AddMinutes(1))
        {
            team.Add(new KeyMinute("a", minute, 2, 10));
            team.Add(new KeyMinute("b", minute, 2, 10));
            alerts.AddRange(team.Advance(minute.AddMinutes(1) + _options.TeamSettleDelay));
        }

        // Each key alone stays under the floor of 30; together they spike.
        team.Add(new KeyMinute("a", minute, 20, 10));
        team.Add(new KeyMinute("b", minute, 20, 10));
        Assert.Empty(team.Advance(minute.AddMinutes(1)));
        alerts.AddRange(team.Advance(minute.AddMinutes(1) + _options.TeamSettleDelay));

        var spike = Assert.Single(alerts);
        Assert.Null(spike.KeyId);
        Assert.Equal("team-1", spike.TeamId);
        Assert.Equal("team", spike.Details["scope"]);
        Assert.Equal(40L, spike.Details["observed"]);
        Assert.False(team.Add(new KeyMinute("late", minute, 1, 1)));
    }

    private KeyActivityTracker Tracker() => new("key-1", _options, AlertSamples.Calendar(_options));

    private void RunMinutes(KeyActivityTracker tracker, List<AlertEvent> alerts, int minutes, int requestsPerMinute, int tokens = 10)
    {
        for (var m = 0; m < minutes; m++)
        {
            Send(tracker, alerts, requestsPerMinute, tokens);
            Tick(tracker, alerts, TimeSpan.FromMinutes(1));
        }
    }

    private void Send(KeyActivityTracker tracker, List<AlertEvent> alerts, int requests, int tokens = 10)
    {
        for (var i = 0; i < requests; i++)
        {
            alerts.AddRange(tracker.Record(AlertSamples.Request("key-1", _clock.GetUtcNow(), tokens)).Alerts);
        }
    }

    private void Tick(KeyActivityTracker tracker, List<AlertEvent> alerts, TimeSpan by)
    {
        _clock.Advance(by);
        alerts.AddRange(tracker.Advance(_clock.GetUtcNow()).Alerts);
    }
}
