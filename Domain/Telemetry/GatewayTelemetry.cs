using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Synapse.Telemetry;

/// <summary>
/// The gateway's own meter and activity source, both named <see cref="Name"/>. Names, ids, counts
/// and timings only: no prompt, answer, key secret or client-supplied free text ever becomes a tag.
/// </summary>
public static class GatewayTelemetry
{
    public const string Name = "Synapse.Gateway";

    /// <summary>Spans of the gateway's own steps (the provider calls); Orleans and HTTP spans come from their own sources.</summary>
    public static ActivitySource Source { get; } = new(Name);

    internal static Meter Meter { get; } = new(Name);
}
