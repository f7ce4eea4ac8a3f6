using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synapse.Hosting;
using Xunit;

namespace Synapse.Tests.Hosting;

/// <summary>
/// A host asked to stop whose grace period ends a service that is still stopping (a front end's
/// cluster client waiting for silos that are gone) ends with a line that says so, not with "Stopped
/// on an error: A task was canceled", which reads as a crash. Exit code 1 either way: it did not
/// stop cleanly.
/// </summary>
public sealed class StopTimeoutTests
{
    [Fact]
    public async Task AStopThatOutlastsTheGracePeriod_SaysSo_AndExitsWith1()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        var stopping = new StoppingForever();
        builder.Services.AddSingleton<IHostedService>(stopping);
        var app = builder.Build();
        using var errors = new StringWriter();

        var run = HostRun.RunAsync(app, errors);
        var started = new TaskCompletionSource();
        using (app.Lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        app.Lifetime.StopApplication();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(stopping.AskedToStop);
        Assert.Equal(HostRun.FailedExitCode, exitCode);
        Assert.StartsWith("Stopped without finishing: the shutdown grace period (0.2 s, Synapse:Shutdown:GracePeriodSeconds) ended while a service was still stopping.", errors.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("A task was canceled", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStopThatIgnoresTheGracePeriod_IsAbandoned_WithALineAndExitCode1()
    {
        // Orleans' membership agent with its database gone ignored the host's cancellation for
        // about 140 s against a 25 s grace period; the process must end on its own.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        var deaf = new DeafToCancellation();
        builder.Services.AddSingleton<IHostedService>(deaf);
        var app = builder.Build();
        using var errors = new StringWriter();
        var exits = new List<int>();

        var run = HostRun.RunAsync(app, errors, exits.Add, overrun: TimeSpan.FromMilliseconds(300));
        var started = new TaskCompletionSource();
        using (app.Lifetime.ApplicationStarted.Register(started.SetResult))
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        app.Lifetime.StopApplication();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(deaf.AskedToStop);
        Assert.Equal(HostRun.FailedExitCode, exitCode);
        Assert.Equal([HostRun.FailedExitCode], exits);
        Assert.StartsWith("Stopped without finishing: a service was still stopping 0.5 s after the stop began", errors.ToString(), StringComparison.Ordinal);
        deaf.Release();
    }

    /// <summary>A service whose stop does not listen to the host's cancellation.</summary>
    private sealed class DeafToCancellation : IHostedService
    {
        private readonly TaskCompletionSource _released = new();

        public bool AskedToStop { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            AskedToStop = true;
            return _released.Task;
        }

        public void Release() => _released.TrySetResult();
    }

    /// <summary>A service that stops only when the host gives up on it.</summary>
    private sealed class StoppingForever : IHostedService
    {
        public bool AskedToStop { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            AskedToStop = true;
            return Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
