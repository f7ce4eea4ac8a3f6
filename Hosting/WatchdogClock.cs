using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;

namespace Synapse.Hosting;

/// <summary>
/// The clock of Orleans' silo watchdog: the membership clock, its timestamps counted from the
/// watchdog's creation rather than from the machine's boot. Orleans 10's <c>Watchdog.Start</c>
/// starts its platform thread before it stamps the component check's start time, so a first check
/// that runs in between measures the "stall" from timestamp zero — with the system clock, the
/// machine's uptime — and logs "Participant check thread has not completed for &lt;hours&gt;" and
/// records a stall in the silo's local health score. From this clock's zero the same check
/// measures the milliseconds since the watchdog was made. Every other measurement the watchdog
/// makes is the difference of two of this clock's timestamps, which the shift leaves as they were,
/// so its real warnings (a stall of seconds, repeated) are untouched. Orleans' own fix would be
/// to stamp before starting the thread; this needs nothing of its internals but the type's name.
/// </summary>
public sealed class WatchdogClock(TimeProvider inner) : TimeProvider
{
    /// <summary>Orleans' watchdog (internal), registered as itself.</summary>
    internal const string WatchdogTypeName = "Orleans.Runtime.Watchdog";

    private readonly long _origin = inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long GetTimestamp() => inner.GetTimestamp() - _origin;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Has the silo's watchdog made with a <see cref="WatchdogClock"/> over the membership clock it
    /// would otherwise take. Throws when Orleans no longer registers it so (an upgrade): the
    /// start fails loudly rather than the warning coming back unnoticed.
    /// </summary>
    internal static void UseForTheWatchdog(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType.FullName == WatchdogTypeName && !d.IsKeyedService)
            ?? throw new InvalidOperationException($"Orleans registers no {WatchdogTypeName}: review WatchdogClock for this Orleans version.");
        var watchdog = registered.ServiceType;
        services.Remove(registered);
        services.AddSingleton(watchdog, provider => ActivatorUtilities.CreateInstance(
            provider,
            watchdog,
            new WatchdogClock(provider.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Membership))));
    }
}
