using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Synapse.Gateway.Admin;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Admin;

/// <summary>
/// A front end started before any silo installed the schema retries its usage rollup every 30 s:
/// the log says why once, with the stack, then one line per attempt, and says when it works again —
/// not a stack trace every 30 s for as long as the silos take.
/// </summary>
public sealed class UsageRollupServiceTests
{
    [Fact]
    public async Task ARollupThatKeepsFailing_LogsItsStackOnce_ThenOneLinePerAttempt_AndSaysWhenItWorksAgain()
    {
        var directory = Directory.CreateTempSubdirectory("synapse-rollup-").FullName;
        var database = SynapseDatabase.ForSqliteFile(Path.Combine(directory, SynapseDatabase.SqliteFileName));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new RecordingLogger();
        using var service = new UsageRollupService(new UsageRollup(database, time), time, logger);

        await service.StartAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => logger.Entries.Count == 1);
        for (var attempt = 2; attempt <= 3; attempt++)
        {
            time.Advance(UsageRollupService.Interval);
            await Eventually.HoldsAsync(() => logger.Entries.Count == attempt);
        }

        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        time.Advance(UsageRollupService.Interval);
        await Eventually.HoldsAsync(() => logger.Entries.Count == 4);
        time.Advance(UsageRollupService.Interval);
        await service.StopAsync(CancellationToken.None);

        var entries = logger.Entries.ToList();
        Assert.NotNull(entries[0].Exception);
        Assert.All(entries.Skip(1).Take(2), e =>
        {
            Assert.Equal(LogLevel.Warning, e.Level);
            Assert.Null(e.Exception);
            Assert.Contains("no such table", e.Message, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(LogLevel.Information, entries[3].Level);
        Assert.Equal(4, logger.Entries.Count);
    }

    private sealed class RecordingLogger : ILogger<UsageRollupService>
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
