using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Synapse.Requests;

namespace Synapse.Hosting.Drain;

/// <summary>
/// Makes a silo's graceful stop wait for the requests its key grains hold, up to
/// <see cref="ShutdownOptions.SiloDrainTimeout"/>. It stops at the <c>Active</c> stage, which
/// Orleans stops before <c>BecomeActive</c>, where the silo deactivates every grain at once (an
/// observer at that stage would run concurrently with the deactivation, which drops the answer
/// sequences the front ends are reading). Until then the silo's grains and its audit writer all
/// still work, and its gateway has told the clients to send through other silos, so each held call
/// runs to its end, its answer reaches the front end and its completion is written. What still
/// streams at the stop's cut-off (<see cref="ShutdownCutOff"/>) ends with an error event, and the
/// silo waits briefly for those completions. A kill (SIGKILL) skips all of this.
/// </summary>
internal sealed partial class SiloDrainLifecycle(RequestsInFlight inFlight, ShutdownCutOff cutOff, ShutdownOptions options, ILogger<SiloDrainLifecycle> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloDrainLifecycle), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var held = inFlight.Count;
        if (held == 0)
        {
            return;
        }

        LogDraining(logger, held, (int)options.SiloDrainTimeout.TotalSeconds);

        // Until the stop's cut-off (scheduled by the host's stop), or this silo's own drain
        // timeout where nothing scheduled one: whichever comes first.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cutOff.Token);
        deadline.CancelAfter(options.SiloDrainTimeout);
        try
        {
            await inFlight.WhenIdleAsync(deadline.Token);
            LogDrained(logger, held);
            return;
        }
        catch (OperationCanceledException)
        {
            LogCutOff(logger, inFlight.Count);
        }

        // The streams end at the cut-off with their error events and write their completions in
        // moments; the calls that cannot be cut (a whole answer still awaited) are not waited for.
        cutOff.Cut();
        using var settle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        settle.CancelAfter(options.CutOffSettleTime);
        try
        {
            await inFlight.WhenIdleAsync(settle.Token);
        }
        catch (OperationCanceledException)
        {
            LogLeft(logger, inFlight.Count);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Stopping: waiting up to {Timeout} s for the {Held} requests this silo holds")]
    private static partial void LogDraining(ILogger logger, int held, int timeout);

    [LoggerMessage(2, LogLevel.Information, "Stopping: the {Held} held requests have finished")]
    private static partial void LogDrained(ILogger logger, int held);

    [LoggerMessage(3, LogLevel.Warning, "Stopping: {Left} requests were still running at the end of the grace period and are cut off: streams end with an error event and are audited as interrupted")]
    private static partial void LogCutOff(ILogger logger, int left);

    [LoggerMessage(4, LogLevel.Warning, "Stopping: {Left} cut-off requests had not ended when the silo went on stopping (non-streamed answers still awaited, or completions not yet written)")]
    private static partial void LogLeft(ILogger logger, int left);
}
