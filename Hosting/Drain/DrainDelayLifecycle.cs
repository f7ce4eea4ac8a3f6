using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synapse.Requests;

namespace Synapse.Hosting.Drain;

/// <summary>
/// Holds a stopping host open for <see cref="ShutdownOptions.DrainDelay"/> before anything stops:
/// readiness already says <c>draining</c> (<see cref="DrainState"/>), and Kestrel, the silo and the
/// cluster client go on serving as usual, so a load balancer polling <c>/healthz/ready</c> sees the
/// 503 and moves traffic away while the port still answers. Without it Kestrel closes its listener
/// the moment the stop begins and the 503 is never seen: the balancer gets refused connections
/// instead. The host runs every <see cref="IHostedLifecycleService.StoppingAsync"/> before any
/// service's <c>StopAsync</c>, and its shutdown timeout covers the delay plus the grace period
/// (<see cref="ShutdownOptions.ShutdownTimeout"/>), so the grace period starts whole after the
/// delay. .NET 10 has no such delay of its own (<c>HostOptions</c> has only the timeout).
/// A second SIGTERM, SIGINT (Ctrl+C) or SIGQUIT during the delay ends it early: an operator who
/// asks twice wants the stop now. It also schedules the stop's cut-off (<see cref="ShutdownCutOff"/>).
/// </summary>
internal sealed partial class DrainDelayLifecycle(ShutdownOptions options, DrainState drain, ShutdownCutOff cutOff, TimeProvider time, ILogger<DrainDelayLifecycle> logger) : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        // The stop's timeline starts here, as the host's own timeout does: the streams still
        // running near the end of the grace period are cut off while there is time to end them
        // cleanly and audit them, rather than reset when the host gives up.
        cutOff.CutAfter(options.CutOffAfter, time);
        var delay = options.DrainDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        drain.Begin();
        var secondSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var signals = ListenForAnotherSignal(secondSignal);
        using var endTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            // Logged once the second signal is listened for and the timer runs: whoever sees the
            // line knows a second SIGTERM now ends the delay, and a test's clock moves it.
            var elapsed = Task.Delay(delay, time, endTimer.Token);
            LogDelaying(logger, options.DrainDelaySeconds);
            if (await Task.WhenAny(elapsed, secondSignal.Task).ConfigureAwait(false) == secondSignal.Task)
            {
                LogCutShort(logger);
            }
        }
        finally
        {
            foreach (var signal in signals)
            {
                signal.Dispose();
            }

            await endTimer.CancelAsync().ConfigureAwait(false);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Listens for the stop signals while the delay runs. The runtime calls the newest registration
    /// first and stops at one that cancels the default action, so the console lifetime's handler
    /// (a second <c>StopApplication</c>, which does nothing) is not reached, nor is the default
    /// action, which would kill the process without its grace period.
    /// </summary>
    private static List<PosixSignalRegistration> ListenForAnotherSignal(TaskCompletionSource secondSignal)
    {
        var registrations = new List<PosixSignalRegistration>();
        if (OperatingSystem.IsBrowser() || OperatingSystem.IsWasi())
        {
            return registrations; // no signals there
        }

        // A signal already under way when the registrations are disposed may still run the
        // handler: it only completes a task, which cannot throw on the signal thread.
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                secondSignal.TrySetResult();
            }));
        }

        return registrations;
    }

    [LoggerMessage(1, LogLevel.Information, "Stopping: /healthz/ready answers 503 (draining); still serving for {Delay} s (Synapse:Shutdown:DrainDelaySeconds) before taking no new connections")]
    private static partial void LogDelaying(ILogger logger, int delay);

    [LoggerMessage(2, LogLevel.Information, "Stopping: a second stop signal ended the drain delay early")]
    private static partial void LogCutShort(ILogger logger);
}
