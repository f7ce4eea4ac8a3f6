using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// Every log line the gateways under test write, at every level, so tests can prove that no
/// prompt, answer or secret ever reaches a log.
/// </summary>
public static class CapturedLogs
{
    public static readonly ConcurrentQueue<string> Lines = new();

    public static readonly ILoggerProvider Provider = new CapturingProvider();

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Lines.Count < 200_000)
            {
                Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
