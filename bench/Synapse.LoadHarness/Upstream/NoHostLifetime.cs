namespace Synapse.LoadHarness.Upstream;

/// <summary>
/// Keeps the mock's host from taking over Ctrl+C and SIGTERM: the harness handles those itself,
/// so that it unwinds and kills the gateway instead of silently losing its upstream.
/// </summary>
internal sealed class NoHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
