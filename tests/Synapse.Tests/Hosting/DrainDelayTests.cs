using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Synapse.Hosting.Drain;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Hosting;

/// <summary>
/// <c>Synapse:Shutdown:DrainDelaySeconds</c> on a fake clock: a stopping host says "draining" at
/// once and stops none of its services until the delay has passed; then the grace period starts
/// whole (the host's timeout is the two together). 0, the default, stops at once. The real
/// process, its signals and its port: <see cref="DrainDelayProcessTests"/>.
/// </summary>
public sealed class DrainDelayTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<DrainDelayLifecycle> _logger = new();

    [Fact]
    public async Task AStoppingHost_IsDrainingAtOnce_AndStopsItsServicesOnlyAfterTheDelay()
    {
        var stopped = new StopRecorder();
        using var host = Build(stopped, ("Synapse:Shutdown:DrainDelaySeconds", "3"));
        await host.StartAsync();
        var drain = host.Services.GetRequiredService<DrainState>();
        Assert.False(drain.IsDraining);

        var stop = host.StopAsync();
        await Eventually.HoldsAsync(() => _logger.Collector.Count == 1);
        Assert.Equal("Stopping: /healthz/ready answers 503 (draining); still serving for 3 s (Synapse:Shutdown:DrainDelaySeconds) before taking no new connections", _logger.Collector.LatestRecord.Message);
        Assert.Equal(LogLevel.Information, _logger.Collector.LatestRecord.Level);
        Assert.True(drain.IsDraining);

        // The delay's timer runs (its line is written after it is set): short of 3 s, nothing stops.
        _time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));
        Assert.False(stop.IsCompleted);
        Assert.Null(stopped.At);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await stop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(_time.GetUtcNow(), stopped.At);
        Assert.True(drain.IsDraining);
    }

    [Fact]
    public async Task WithoutADelay_TheDefault_AStoppingHostStopsAtOnce()
    {
        var stopped = new StopRecorder();
        using var host = Build(stopped);
        await host.StartAsync();
        var start = _time.GetUtcNow();

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(start, stopped.At);
        Assert.Empty(_logger.Collector.GetSnapshot());
        Assert.Equal(0, host.Services.GetRequiredService<ShutdownOptions>().DrainDelaySeconds);
        Assert.Equal(TimeSpan.FromSeconds(25), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public void TheHostsShutdownTimeout_IsTheDelayAndThenTheWholeGracePeriod()
    {
        using var host = Build(new StopRecorder(), ("Synapse:Shutdown:DrainDelaySeconds", "5"), ("Synapse:Shutdown:GracePeriodSeconds", "20"));

        Assert.Equal(TimeSpan.FromSeconds(25), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private IHost Build(StopRecorder stopped, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<ILogger<DrainDelayLifecycle>>(_logger);
        stopped.Time = _time;
        builder.Services.AddSingleton<IHostedService>(stopped);
        builder.Services.AddSynapseShutdown(builder.Configuration);
        return builder.Build();
    }

    /// <summary>A service standing for Kestrel and the silo: when (on the fake clock) the host stopped it.</summary>
    private sealed class StopRecorder : IHostedService
    {
        public TimeProvider? Time { get; set; }

        public DateTimeOffset? At { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            At = Time!.GetUtcNow();
            return Task.CompletedTask;
        }
    }
}
