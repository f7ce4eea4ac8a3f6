using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Requests;

/// <summary>
/// The moment a stopping process ends the answers it is still streaming: a little before the end
/// of its shutdown grace period (the host schedules it when its stop begins), so that each stream
/// ends the way a broken upstream ends one — an error event in the client API's shape, never a
/// reset connection — and its completion is audited as interrupted, with the tokens and response
/// DLP findings so far, while the audit writer still runs. The key grains' provider calls and the
/// front end's stream relay both watch it: in the all-in-one process they are cut at the same
/// moment; a front end alone cuts its clients' streams, a silo alone its provider calls.
/// </summary>
public sealed class ShutdownCutOff : IDisposable
{
    /// <summary>The error code a stream ended by the cut-off gets, and its audit row's failure.</summary>
    public const string Code = "server_shutting_down";

    private readonly CancellationTokenSource _cut = new();
    private readonly TaskCompletionSource _whenCut = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;

    public ShutdownCutOff() => _cut.Token.Register(() => _whenCut.TrySetResult());

    /// <summary>What a stream cut off says to its client: nothing about the request, only that it should be sent again.</summary>
    public static ProviderFailure Failure { get; } =
        new(Code, "The gateway is shutting down and ended this answer before its end; send the request again.") { Status = 503, Type = "api_error" };

    /// <summary>Cancelled at the cut-off.</summary>
    public CancellationToken Token => _cut.Token;

    /// <summary>Completes at the cut-off (one task for every stream that waits on it).</summary>
    public Task WhenCut => _whenCut.Task;

    public bool IsCut => _cut.IsCancellationRequested;

    /// <summary>Cuts off after <paramref name="delay"/> on <paramref name="time"/>'s clock; at once when it is not positive.</summary>
    public void CutAfter(TimeSpan delay, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (delay <= TimeSpan.Zero)
        {
            Cut();
            return;
        }

        var timer = time.CreateTimer(_ => Cut(), null, delay, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _timer, timer)?.Dispose();
    }

    /// <summary>Cuts off now (once; later calls do nothing).</summary>
    public void Cut()
    {
        try
        {
            _cut.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The process is past its stop.
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _cut.Dispose();
    }
}
