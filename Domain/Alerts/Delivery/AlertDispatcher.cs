using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Synapse.Alerts.Outbox;

namespace Synapse.Alerts.Delivery;

/// <summary>
/// The silo's webhook delivery loop: claims due outbox rows (a lease, so silos never post the same
/// row at once), posts each signed body with a timeout, and records the outcome: delivered on 2xx,
/// otherwise retried with <see cref="RetryPolicy"/> until <see cref="AlertOptions.MaxAttempts"/>.
/// It runs beside the request path and never blocks it; rows left over from before a restart are
/// picked up on the first pass. Logs name the webhook, never its URL, secret or signature.
/// </summary>
public sealed partial class AlertDispatcher(
    IAlertStore store,
    AlertOptions options,
    IHttpClientFactory clients,
    TimeProvider time,
    ILogger<AlertDispatcher> logger) : IAsyncDisposable
{
    public const string Timeout = "timeout";
    public const string Redirect = "redirect";
    public const string HttpStatus = "http_status";
    public const string RefusedTarget = "refused_target";
    public const string ConnectionFailed = "connection_failed";
    public const string Interrupted = "interrupted";
    public const string WebhookNotConfigured = "webhook_not_configured";

    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start()
    {
        if (_loop is null && options.Enabled)
        {
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>New rows were stored: look now instead of at the next poll.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }

    /// <summary>One pass: claims what is due and delivers it; returns how many rows were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var lease = options.DeliveryTimeout + options.DeliveryTimeout + LeaseMargin;

        // Not cancellable: a claim cut short after its UPDATE would strand its rows until the
        // lease runs out (a restart would wait for them). Claimed rows always get a result.
        var items = await store.ClaimAsync(options.DeliveryBatchSize, time.GetUtcNow(), lease, CancellationToken.None).ConfigureAwait(false);
        await Parallel.ForEachAsync(items, CancellationToken.None, async (item, _) => await DeliverAsync(item, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        return items.Count;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var attempted = 0;
            try
            {
                attempted = await DeliverDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.PassFailed(logger, e);
            }

            if (attempted >= options.DeliveryBatchSize)
            {
                continue;
            }

            await CountPendingAsync(cancellationToken).ConfigureAwait(false);

            try
            {
                await _wake.WaitAsync(options.DeliveryPollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The outbox depth for the metrics, counted when the loop goes idle (so at most once a poll).</summary>
    private async Task CountPendingAsync(CancellationToken cancellationToken)
    {
        try
        {
            Telemetry.GatewayMetrics.OutboxDepth(await store.CountPendingAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException || cancellationToken.IsCancellationRequested)
        {
            // A metric is not worth a failed pass; the next idle pass counts again (and a count cut
            // short by the stop ends here, the loop then sees the stop).
        }
    }

    private async Task DeliverAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var (status, error) = options.Webhooks.TryGetValue(item.Webhook, out var webhook)
            ? await PostAsync(item, webhook, cancellationToken).ConfigureAwait(false)
            : (null, WebhookNotConfigured);
        var at = time.GetUtcNow();
        var attempts = item.Attempts + 1;
        AttemptResult result;
        if (error is null)
        {
            result = new AttemptResult(OutboxStates.Delivered, at, status, null, null);
            Log.Delivered(logger, item.Webhook, item.Alert.Id, attempts, status!.Value);
        }
        else if (attempts >= options.MaxAttempts || error == WebhookNotConfigured)
        {
            Telemetry.GatewayMetrics.WebhookFailed(item.Webhook, error);
            result = new AttemptResult(OutboxStates.Failed, at, status, error, null);
            Log.GaveUp(logger, item.Webhook, item.Alert.Id, attempts, status, error);
        }
        else
        {
            var next = error == Interrupted ? at : at + RetryPolicy.Delay(attempts, options, Random.Shared.NextDouble());
            result = new AttemptResult(OutboxStates.Pending, at, status, error, next);
            Telemetry.GatewayMetrics.WebhookFailed(item.Webhook, error);
            Log.Failed(logger, item.Webhook, item.Alert.Id, attempts, status, error);
        }

        try
        {
            // Written even while stopping: the lease must not outlive the attempt.
            if (!await store.CompleteAsync(item, result, CancellationToken.None).ConfigureAwait(false))
            {
                Log.LeaseLost(logger, item.Webhook, item.Alert.Id);
            }
        }
        catch (Exception e)
        {
            Log.RecordFailed(logger, item.Webhook, item.Alert.Id, e);
        }
    }

    private async Task<(int? Status, string? Error)> PostAsync(OutboxItem item, WebhookOptions webhook, CancellationToken cancellationToken)
    {
        var body = WebhookPayload.Render(item.Alert, webhook.Format);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSigner.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(webhook.Secret, timestamp, body));
        request.Headers.Add(WebhookSigner.AlertIdHeader, item.Alert.Id.ToString("D"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Synapse-Alerts", "1"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.DeliveryTimeout);
        try
        {
            using var client = clients.CreateClient(WebhookHttpClient.Name);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => (status, null),
                >= 300 and < 400 => (status, Redirect),
                _ => (status, HttpStatus),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, Interrupted);
        }
        catch (OperationCanceledException)
        {
            return (null, Timeout);
        }
        catch (HttpRequestException e) when (IsRefused(e))
        {
            return (null, RefusedTarget);
        }
        catch (HttpRequestException)
        {
            return (null, ConnectionFailed);
        }
    }

    private static bool IsRefused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is WebhookTargetRefusedException)
            {
                return true;
            }
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Alert {AlertId} delivered to webhook {Webhook} (attempt {Attempts}, status {Status})")]
        public static partial void Delivered(ILogger logger, string webhook, Guid alertId, int attempts, int status);

        [LoggerMessage(2, LogLevel.Warning, "Alert {AlertId} to webhook {Webhook} failed (attempt {Attempts}, status {Status}, {Error}); it will be retried")]
        public static partial void Failed(ILogger logger, string webhook, Guid alertId, int attempts, int? status, string error);

        [LoggerMessage(3, LogLevel.Error, "Alert {AlertId} to webhook {Webhook} given up after {Attempts} attempts (status {Status}, {Error})")]
        public static partial void GaveUp(ILogger logger, string webhook, Guid alertId, int attempts, int? status, string error);

        [LoggerMessage(4, LogLevel.Warning, "The lease on alert {AlertId} to webhook {Webhook} ran out before its result was written; another silo may deliver it again")]
        public static partial void LeaseLost(ILogger logger, string webhook, Guid alertId);

        [LoggerMessage(5, LogLevel.Error, "Recording the delivery of alert {AlertId} to webhook {Webhook} failed")]
        public static partial void RecordFailed(ILogger logger, string webhook, Guid alertId, Exception exception);

        [LoggerMessage(6, LogLevel.Error, "An alert delivery pass failed; retrying at the next poll")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
