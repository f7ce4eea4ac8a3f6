using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Tests.Infrastructure;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>
/// Orleans' watchdog starts its platform thread before it stamps the component check's start
/// time, so a first check that runs in between measures the "stall" from timestamp zero: with the
/// system clock, the machine's uptime. The silo's watchdog gets a clock whose timestamps count
/// from the watchdog's own creation, so that first check measures milliseconds; every later
/// measurement is a difference of two of its timestamps, the same as with the system clock.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class WatchdogClockTests(GatewayFixture fixture)
{
    [Fact]
    public void TheSilosWatchdog_MeasuresFromTimestampZero_NoMoreThanItsOwnLifetime()
    {
        var watchdogType = Type.GetType("Orleans.Runtime.Watchdog, Orleans.Runtime", throwOnError: true)!;
        var watchdog = fixture.Gateway.Services.GetRequiredService(watchdogType);
        var clock = (TimeProvider)watchdogType.GetField("_timeProvider", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(watchdog)!;
        var processAge = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;

        // The system clock's zero is the machine's boot: hours before this test process began.
        // The watchdog's first check happens within moments of its creation, far under the two
        // health-check periods it warns past.
        Assert.True(clock.GetElapsedTime(0) <= processAge, $"from timestamp zero: {clock.GetElapsedTime(0)}; the test process is {processAge} old");
    }

    [Fact]
    public void TheWatchdogsClock_KeepsTheSystemClocksDurations_AndItsTimeOfDay()
    {
        var clock = new Synapse.Hosting.WatchdogClock(TimeProvider.System);
        var start = clock.GetTimestamp();
        Thread.Sleep(50);
        var elapsed = clock.GetElapsedTime(start);

        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(45), TimeSpan.FromSeconds(5));
        Assert.Equal(TimeProvider.System.TimestampFrequency, clock.TimestampFrequency);
        Assert.InRange(clock.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));
    }
}
