using Microsoft.Extensions.Hosting;

namespace Synapse.Hosting.Drain;

/// <summary>
/// Set once the process has been told to stop: <c>/healthz/ready</c> then answers 503, so load
/// balancers and orchestrators send nothing new while what is in flight finishes.
/// </summary>
public sealed class DrainState
{
    private volatile bool _draining;

    public DrainState(IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        lifetime.ApplicationStopping.Register(() => _draining = true);
    }

    public bool IsDraining => _draining;
}
