using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.Security;

/// <summary>
/// Writes each audit window's failed authentications as one <c>invalid_key</c> rejection row per
/// source, with <c>Count</c>, the client address and the reasons in <c>Detail</c> — never the
/// presented key. A window the log cannot take is kept and written with the next one; the last
/// window is written when the front end stops.
/// </summary>
internal sealed partial class FailedAuthenticationAuditor(
    FailedAuthenticationTally tally,
    IGrainFactory grains,
    IOptions<KeyAuthenticationOptions> options,
    TimeProvider timeProvider,
    ILogger<FailedAuthenticationAuditor> logger) : BackgroundService
{
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Writes the current window now; false when the log could not take it (it is kept).</summary>
    public async Task<bool> FlushAsync()
    {
        await _flushing.WaitAsync();
        try
        {
            var window = tally.Drain();
            if (window.Counts.Count == 0)
            {
                return true;
            }

            var records = window.Counts.Select(c => RowOf(window, c.Key, c.Value)).ToList();
            try
            {
                await grains.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).AppendBatch(records);
                Log.Written(logger, records.Count, records.Sum(r => r.Count ?? 1));
                return true;
            }
            catch (Exception e) when (e is AuditUnavailableException or SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
            {
                Log.Kept(logger, records.Count, e.GetType().Name);
                tally.Restore(window);
                return false;
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync();
    }

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AuditWindow, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static AuditRecord RowOf(FailureWindow window, string source, FailureCounts counts) =>
        AuditRecord.Create(AuditEventKind.Rejection, AuditOutcomes.InvalidKey, window.End) with
        {
            ClientAddress = source == FailedAuthenticationTally.OtherSources ? null : source,
            HttpStatus = counts.Throttled == counts.Total ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized,
            Count = counts.Total,
            Detail = DetailOf(window, source, counts),
        };

    private static string DetailOf(FailureWindow window, string source, FailureCounts counts)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("aggregate", "failed_authentication");
            writer.WriteString("from", window.Start.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("to", window.End.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteNumber("missing", counts.Missing);
            writer.WriteNumber("malformed", counts.Malformed);
            writer.WriteNumber("unknown", counts.Unknown);
            writer.WriteNumber("throttled", counts.Throttled);
            if (source == FailedAuthenticationTally.OtherSources)
            {
                writer.WriteBoolean("other_sources", true);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Recorded {Failures} failed authentications as {Rows} audit rows")]
        public static partial void Written(ILogger logger, int rows, int failures);

        [LoggerMessage(2, LogLevel.Warning, "The audit log could not take {Rows} rows of failed authentications ({Reason}); they are kept for the next window")]
        public static partial void Kept(ILogger logger, int rows, string reason);
    }
}
