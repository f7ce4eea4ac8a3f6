
namespace Synapse.Alerts.Detection;

/// <summary>Clock arithmetic shared by the trackers: whole minutes and fixed windows in UTC.</summary>
internal static class ActivityTime
{
    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan window)
    {
        var utc = time.UtcTicks;
        return new DateTimeOffset(utc - (utc % window.Ticks), TimeSpan.Zero);
    }

    public static DateTimeOffset Minute(DateTimeOffset time) => Floor(time, TimeSpan.FromMinutes(1));
}
