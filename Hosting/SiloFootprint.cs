using Orleans.Configuration;
using Orleans.Dashboard;

namespace Synapse.Hosting;

/// <summary>
/// Sizes for what a silo keeps in memory and samples in the background, chosen for a gateway of
/// a few thousand keys on a small machine (docs/benchmarks.md, "Footprint", has the measurements).
/// </summary>
internal static class SiloFootprint
{
    /// <summary>
    /// Grain locations cached per silo. Orleans' default (1,000,000) allocates its table up front:
    /// 9.3 MB per silo before the first request. A miss only costs a directory look-up.
    /// </summary>
    public const int GrainDirectoryCacheSize = 50_000;

    /// <summary>
    /// The dashboard samples silo statistics every 5 s instead of every second (each sample walks
    /// every activation) and keeps 60 samples: five minutes of history. Grain-call timing is on
    /// only while someone has the dashboard open (Orleans' own default, kept: profiling stops a
    /// minute after the last dashboard query).
    /// </summary>
    public static void Dashboard(DashboardOptions options)
    {
        options.CounterUpdateIntervalMs = 5_000;
        options.HistoryLength = 60;
    }

    public static void GrainDirectory(GrainDirectoryOptions options) => options.CacheSize = GrainDirectoryCacheSize;
}
