using System.Globalization;
using Synapse.Alerts;
using Synapse.Grains.Alerts;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Tests.Alerts;

internal static class AlertSamples
{
    /// <summary>A Wednesday, 10:00 UTC: business hours under the defaults.</summary>
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-04T10:00:00Z", CultureInfo.InvariantCulture);

    public static BusinessCalendar Calendar(AlertOptions options)
    {
        var errors = new List<string>();
        return BusinessCalendar.TryParse(options, errors) ?? throw new InvalidOperationException(string.Join(" ", errors));
    }

    public static ActivitySignal Request(string keyId, DateTimeOffset time, int tokens = 10, string? teamId = "team-1") =>
        new(Guid.NewGuid().ToString("N"), keyId, teamId, time, ActivityKind.Request) { Tokens = tokens };

    public static ActivitySignal Block(string keyId, DateTimeOffset time, params string[] categories) =>
        new(Guid.NewGuid().ToString("N"), keyId, "team-1", time, ActivityKind.DlpBlock) { Categories = categories };

    public static ActivitySignal DlpAlert(string keyId, DateTimeOffset time, params string[] categories) =>
        new(Guid.NewGuid().ToString("N"), keyId, "team-1", time, ActivityKind.DlpAlert) { Categories = categories };
}
