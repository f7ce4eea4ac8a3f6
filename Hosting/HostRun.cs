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

    /// <summary>Runs <paramref name="app"/>; the process exit code. The one line goes to <paramref name="errors"/> (standard error by default).</summary>
    public static async Task<int> RunAsync(WebApplication app, TextWriter? errors = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        errors ??= Console.Error;

        // Read before running: a failed run disposes the host's services.
        var started = app.Lifetime.ApplicationStarted;
        var stopping = app.Lifetime.ApplicationStopping;
        // The drain delay runs under the host's shutdown timeout, before the grace period.
        var gracePeriod = app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout
            - (app.Services.GetService<ShutdownOptions>()?.DrainDelay ?? TimeSpan.Zero);
        var urls = app.Configuration["urls"];
        try
        {
            await app.RunAsync().ConfigureAwait(false);
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
