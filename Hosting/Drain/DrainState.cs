using Microsoft.Extensions.Hosting;

namespace Synapse.Hosting.Drain;

/// <summary>
/// Set once the process has been told to stop: <c>/healthz/ready</c> then answers 503, so load
/// balancers and orchestrators send nothing new while what is in flight finishes. SIGTERM sets it
/// at once (the console lifetime signals <c>ApplicationStopping</c> before the host's stop begins),
/// so it holds through the drain delay (<see cref="DrainDelayLifecycle"/>), while the process still
/// serves.
/// </summary>
public sealed class DrainState
{
    private volatile bool _draining;

    public DrainState(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        lifetime.ApplicationStopping.Register(Begin);
    }

    public bool IsDraining => _draining;

    /// <summary>
    /// Marks the process as stopping. Also called by the drain delay itself: a host stopped through
    /// <c>StopAsync</c> (not a signal) signals <c>ApplicationStopping</c> only after the delay.
    /// </summary>
    internal void Begin() => _draining = true;
}
