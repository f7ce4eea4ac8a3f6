using System.Buffers;
using System.Diagnostics;
using System.Net;

namespace Synapse.LoadHarness.Load;

/// <summary>
/// An open-loop load generator: request <c>i</c> is due at <c>start + i / rate</c> whatever the
/// earlier requests are doing, and its latency is counted from that due time, not from when it
/// was actually sent — so a stalled system is charged for the requests it held back (no
/// coordinated omission). The targets take turns in slices of a second or so: each is measured
/// alone at the full rate, and slow drifts of a shared machine hit all of them alike.
/// </summary>
internal sealed class OpenLoopRunner(HarnessOptions options)
{
    private static readonly byte[] DoneEvent = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>Runs warm-up and measurement; returns one recorder per target, in order.</summary>
    /// <param name="measuring">Called once, on the dispatcher thread, when the first measured request is due.</param>
    public async Task<PathRecorder[]> RunAsync(IReadOnlyList<LoadTarget> targets, Action measuring, CancellationToken cancellationToken)
    {
        var perSecond = Stopwatch.Frequency;
        var warmupTicks = (long)options.WarmupSeconds * targets.Count * perSecond;
        var totalSlots = (long)options.Rate * (options.WarmupSeconds + options.DurationSeconds) * targets.Count;
        var sliceTicks = (long)(options.SliceSeconds * perSecond);
        var capacity = (int)Math.Min(int.MaxValue, totalSlots);
        var recorders = targets.Select(_ => new PathRecorder(capacity)).ToArray();
        var inFlight = new List<Task>(capacity);

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new Thread(() =>
        {
            try
            {
                Dispatch();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "open-loop dispatcher",
        };
        dispatcher.Start();
        await done.Task;
        await Task.WhenAll(inFlight);
        return recorders;

        void Dispatch()
        {
            var start = Stopwatch.GetTimestamp();
            var measured = false;
            for (long slot = 0; slot < totalSlots && !cancellationToken.IsCancellationRequested; slot++)
            {
                var offset = (long)(slot * (double)perSecond / options.Rate);
                var due = start + offset;
                SleepUntil(due);

                var index = (int)(offset / sliceTicks % targets.Count);
                if (!measured && offset >= warmupTicks)
                {
                    measured = true;
                    measuring();
                }

                var recorder = measured ? recorders[index] : null;
                recorder?.CountSent();
                var target = targets[index];
                inFlight.Add(Task.Run(() => SendAsync(target, due, recorder, cancellationToken), CancellationToken.None));
            }
        }
    }

    /// <summary>
    /// Sleeps, never spins: on a small shared machine a spinning dispatcher would steal the CPU
    /// the gateway needs. The sleep's overshoot (about 0.1 ms on Linux) is charged to both
    /// paths alike, and reported as the start lag.
    /// </summary>
    private static void SleepUntil(long due)
    {
        while (true)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            Thread.Sleep(remaining);
        }
    }

    private static async Task SendAsync(LoadTarget target, long due, PathRecorder? recorder, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var request = target.CreateRequest();
            using var response = await target.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);

            long firstByte = 0;
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan().CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                if (filled == 0)
                {
                    firstByte = Stopwatch.GetTimestamp();
                }

                filled += read;
            }

            var end = Stopwatch.GetTimestamp();
            if (recorder is null)
            {
                return;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                recorder.Fail($"HTTP {(int)response.StatusCode}");
                return;
            }

            if (!IsComplete(buffer.AsSpan(0, filled), target.Stream))
            {
                recorder.Fail(target.Stream ? "stream without [DONE]" : "not a chat.completion");
                return;
            }

            recorder.Record((target.Stream ? firstByte : end) - due, end - due, started - due);
        }
        catch (Exception e) when (recorder is not null)
        {
            recorder.Fail(e switch
            {
                TaskCanceledException when cancellationToken.IsCancellationRequested => "cancelled",
                TaskCanceledException => "timeout",
                HttpRequestException h => $"request: {h.HttpRequestError}",
                HttpIOException io => $"response: {io.HttpRequestError}",
                _ => e.GetType().Name,
            });
        }
        catch (Exception) when (recorder is null)
        {
            // Warm-up requests are not measured; their failures show up in the measured ones.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsComplete(ReadOnlySpan<byte> body, bool stream) =>
        stream
            ? body.EndsWith(DoneEvent)
            : body.Length > 0 && body[0] == (byte)'{' && body.IndexOf("\"chat.completion\""u8) >= 0;
}
