using System.Globalization;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Synapse.Hosting.Drain;

namespace Synapse.Hosting;

/// <summary>
/// Runs a built host until it stops, and turns a failed start (or a run that ends on an error) into
/// one line on standard error and an exit code, as a bad setting is: an exception escaping
/// <c>Main</c> makes the runtime abort
/// (exit code 134 and a core dump where enabled), which reads as a crash when the cause is a taken
/// port or an audit key that does not match the log. The host has already logged the failure with
/// its stack trace.
/// </summary>
public static class HostRun
{
    /// <summary>The exit code after a normal stop.</summary>
    public const int StoppedExitCode = 0;

    /// <summary>The exit code when the host could not start (the database unreachable, the audit key refused, …) or stopped on an error.</summary>
    public const int FailedExitCode = 1;

    /// <summary>The exit code of a setting to change, shared with the settings checks: here, a port another process listens on, or an address this machine does not have.</summary>
    public const int PortTakenExitCode = 2;

    /// <summary>
    /// How long past the shutdown timeout a stop may go on before the process ends without it: a
    /// service that ignores the host's cancellation (Orleans' membership agent with its database
    /// gone took about 140 s against a 25 s grace period) must not hold the process. Short enough
    /// that it ends, with its line, before compose's <c>stop_grace_period</c> (grace period + 5 s)
    /// kills it without one.
    /// </summary>
    public static readonly TimeSpan AbandonAfterOverrun = TimeSpan.FromSeconds(3);

    /// <summary>Runs <paramref name="app"/>; the process exit code. The one line goes to <paramref name="errors"/> (standard error by default).</summary>
    /// <param name="exit">Ends the process when a stop is abandoned (<see cref="Environment.Exit"/>; a test's own).</param>
    /// <param name="overrun">How long past the shutdown timeout a stop is abandoned (<see cref="AbandonAfterOverrun"/>).</param>
    public static async Task<int> RunAsync(WebApplication app, TextWriter? errors = null, Action<int>? exit = null, TimeSpan? overrun = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        errors ??= Console.Error;

        // Read before running: a failed run disposes the host's services.
        var started = app.Lifetime.ApplicationStarted;
        var stopping = app.Lifetime.ApplicationStopping;
        var shutdownTimeout = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        // The drain delay runs under the host's shutdown timeout, before the grace period.
        var gracePeriod = shutdownTimeout - (app.Services.GetService<ShutdownOptions>()?.DrainDelay ?? TimeSpan.Zero);
        var urls = app.Configuration["urls"];
        try
        {
            // Before the silo and its audit writer start: a taken port is one line, not a
            // half-started silo stopped again with a partition of the audit log left open.
            await ListenPreflight.CheckAsync(app, CancellationToken.None).ConfigureAwait(false);
            var run = app.RunAsync();
            var abandon = shutdownTimeout + (overrun ?? AbandonAfterOverrun);
            if (await Task.WhenAny(run, StopOutlasting(abandon, stopping)).ConfigureAwait(false) != run)
            {
                await errors.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Stopped without finishing: a service was still stopping {abandon.TotalSeconds:0.#} s after the stop began, past the shutdown grace period ({gracePeriod.TotalSeconds:0.#} s, Synapse:Shutdown:GracePeriodSeconds), which it ignored; the process ends without it. On a silo this is usually its cluster membership table (the database) out of reach.")).ConfigureAwait(false);
                (exit ?? Environment.Exit)(FailedExitCode);
                return FailedExitCode;
            }

            await run.ConfigureAwait(false);
            return StoppedExitCode;
        }
        catch (Exception e) when (PortTaken(e) is { } taken)
        {
            await errors.WriteLineAsync(
                $"Cannot start: {Describe(e)} ({taken.Message}). Another process listens there: stop it, or give this one another port (urls, Synapse:Management:Port, Synapse:Orleans:SiloPort, Synapse:Orleans:GatewayPort).").ConfigureAwait(false);
            return PortTakenExitCode;
        }
        catch (Exception e) when (AddressNotHere(e) is { } missing)
        {
            // Kestrel throws the bare socket error, without the address it tried: its list stands in.
            var what = Describe(e) == Describe(missing) ? $"{Describe(missing)} (one of {urls})" : $"{Describe(e)} ({Describe(missing)})";
            await errors.WriteLineAsync(
                $"Cannot start: {what}. No interface of this machine has that address: listen on one it has, or on every interface (urls, Synapse:Management:Address, Synapse:Orleans:ListenAddress).").ConfigureAwait(false);
            return PortTakenExitCode;
        }
        catch (Exception e) when (started.IsCancellationRequested && stopping.IsCancellationRequested && Canceled(e))
        {
            // The host was asked to stop and its grace period ended what was still stopping (the
            // host cancels the stop token and the cancellation surfaces here): "a task was
            // canceled" alone reads as a crash.
            await errors.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Stopped without finishing: the shutdown grace period ({gracePeriod.TotalSeconds:0.#} s, Synapse:Shutdown:GracePeriodSeconds) ended while a service was still stopping. On a front end this is usually the cluster client waiting for silos it cannot reach; on a silo, requests still running.")).ConfigureAwait(false);
            return FailedExitCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var what = started.IsCancellationRequested ? "Stopped on an error" : "Cannot start";
            await errors.WriteLineAsync($"{what}: {Describe(e)}").ConfigureAwait(false);
            return FailedExitCode;
        }
    }

    /// <summary>Completes <paramref name="after"/> once the host began to stop; never when it does not stop.</summary>
    private static async Task StopOutlasting(TimeSpan after, CancellationToken stopping)
    {
        var begun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stopping.Register(() => begun.TrySetResult()))
        {
            await begun.Task.ConfigureAwait(false);
        }

        // Counted from the stop's start: the token has fired, and is no way to end this wait.
        await Task.Delay(after, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="e"/> is a cancellation, or only cancellations (a stop that ran out of time).</summary>
    internal static bool Canceled(Exception e) =>
        e is OperationCanceledException || (e is AggregateException aggregate && aggregate.InnerExceptions.All(Canceled));

    /// <summary>The "address already in use" socket error somewhere in <paramref name="e"/>'s causes, or null.</summary>
    internal static SocketException? PortTaken(Exception e) => Find(e, SocketError.AddressAlreadyInUse);

    /// <summary>The "cannot assign requested address" socket error (a listen address this machine does not have) somewhere in <paramref name="e"/>'s causes, or null.</summary>
    internal static SocketException? AddressNotHere(Exception e) => Find(e, SocketError.AddressNotAvailable);

    private static SocketException? Find(Exception e, SocketError error)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is SocketException found && found.SocketErrorCode == error)
            {
                return found;
            }

            if (cause is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(inner => Find(inner, error)).FirstOrDefault(t => t is not null);
            }
        }

        return null;
    }

    /// <summary>The failure's own message (each of an aggregate's), without its trailing full stop.</summary>
    internal static string Describe(Exception e) => e is AggregateException aggregate
        ? string.Join("; ", aggregate.InnerExceptions.Select(Describe))
        : e.Message.TrimEnd('.', ' ');
}
