using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Synapse.Gateway.Hosting;
using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Telemetry;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// The steps every <c>/v1</c> front end takes alike — <see cref="OpenAiProxy"/> for Chat
/// Completions, embeddings and models, <see cref="ClientApis.TranslatingProxy"/> for Messages and
/// Responses — each answering in the caller's error shape: resolve the key, read the body, send a
/// whole request to its key grain, and answer 503 with <c>Retry-After</c> when the cluster cannot
/// be reached. A step that answers the client itself (and records the request) returns null: the
/// caller stops there.
/// </summary>
public sealed class FrontEndSteps(KeyResolver keys, RequestAudit audit, ClusterCalls cluster, GatewayOptions options, IOptions<RequestBodyOptions> bodyOptions, KeyRefusal refusal, TimeProvider time)
{
    /// <summary>Writes an error in OpenAI's shape (Chat Completions and the Responses API).</summary>
    public static Func<HttpResponse, OpenAiError, Task> OpenAiErrors { get; } = static (response, error) => error.WriteAsync(response);

    public ClusterCalls Cluster => cluster;

    /// <summary>A new request, its id sent in <c>x-request-id</c>; <paramref name="startedAt"/> starts its window for cluster retries.</summary>
    public AdmissionRequest Begin(HttpContext context, RequestOperation operation, ClientApi api, out long startedAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        startedAt = time.GetTimestamp();
        var requestId = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        context.Response.Headers["x-request-id"] = requestId;
        return new AdmissionRequest(requestId, string.Empty, operation, null, ClientAddress.Of(context), ClientAddress.UserAgent(context)) { Api = api };
    }

    /// <summary>The presented key's id and hash; null when the request was answered (401, 429, 503).</summary>
    public async Task<(string KeyId, string SecretHash)?> ResolveKeyAsync(HttpContext context, AdmissionRequest request, string? secret, long startedAt, Func<HttpResponse, OpenAiError, Task> writeError)
    {
        var (keyId, secretHash) = (default(string), string.Empty);
        if (secret is not null)
        {
            // Not cut short by a client that leaves: the body read after it finds it gone and records it.
            var resolved = await cluster.IdempotentAsync(() => keys.ResolveAsync(secret).AsTask(), startedAt, CancellationToken.None);
            if (!resolved.Answered)
            {
                await AnswerUnavailableAsync(context, request, null, startedAt, writeError);
                return null;
            }

            (keyId, secretHash) = resolved.Value;
        }

        if (keyId is null)
        {
            // Counted into one audit row per client address and window, and throttled per address.
            await refusal.WriteAsync(context, secret, writeError);
            return null;
        }

        return (keyId, secretHash);
    }

    /// <summary>The body; null when it was refused (answered and recorded) or the client went away (recorded).</summary>
    public async Task<byte[]?> ReadBodyAsync(HttpContext context, AdmissionRequest request, string keyId, long startedAt, Func<HttpResponse, OpenAiError, Task> writeError)
    {
        ArgumentNullException.ThrowIfNull(context);
        var read = await RequestBodyReader.ReadAsync(context.Request, options.MaxRequestBytes, bodyOptions.Value.Timeout);
        if (read.Body is { } body)
        {
            return body;
        }

        var rejection = audit.Rejection(request, read.Outcome, read.Error?.Status, keyId, error: read.Error);
        if (read.Error is { } bodyError)
        {
            // The rest of a body that was refused unread is not waited for, unless it is small
            // enough to drain (then the client reads the answer and keeps its connection).
            if (!read.Drains)
            {
                context.Response.Headers.Connection = "close";
            }

            await AnswerAsync(context, rejection, bodyError, startedAt, writeError);
        }
        else
        {
            await audit.RecordUnansweredAsync(rejection);
        }

        return null;
    }

    /// <summary>
    /// Sends a whole (not streamed) request to its key grain and writes the verdict's headers; the
    /// reply when it carries an answer, null when the request was answered (a refusal, a failure,
    /// or 503 when the cluster did not answer).
    /// </summary>
    public async Task<ProviderReply?> SendAsync(HttpContext context, Func<bool, IAsyncEnumerable<ProviderReply>> send, AdmissionRequest request, string keyId, long startedAt, Func<HttpResponse, OpenAiError, Task> writeError)
    {
        ArgumentNullException.ThrowIfNull(context);

        // A client that goes away stops this handler waiting, not the call: it runs to its end, is
        // audited and settles with its key.
        var opened = await cluster.OpenAsync(send, r => r.IsKeepAlive, startedAt, context.RequestAborted);
        if (!opened.Answered || !opened.Value.HasCurrent)
        {
            await AnswerUnavailableAsync(context, request, keyId, startedAt, writeError);
            return null;
        }

        var reply = opened.Value.Enumerator.Current;
        ClusterCalls.DisposeInBackground(opened.Value.Enumerator);
        if (reply.Verdict is { } verdict)
        {
            RateLimitHeaders.Write(context.Response, verdict.RateLimits, verdict.RetryAfter);
            DroppedFieldsHeader.Write(context.Response, verdict);
        }

        if (AdmissionErrors.Refusal(reply) is { } error)
        {
            await writeError(context.Response, error);
            return null;
        }

        return reply;
    }

    /// <summary>
    /// 503 <c>service_unavailable</c> with <c>Retry-After</c>: the cluster could not take the request,
    /// or lost it after taking it. Recorded as a rejection when a silo can still take the event
    /// (only counted in the metrics when none can).
    /// </summary>
    public async Task AnswerUnavailableAsync(HttpContext context, AdmissionRequest request, string? keyId, long startedAt, Func<HttpResponse, OpenAiError, Task> writeError)
    {
        ArgumentNullException.ThrowIfNull(context);
        var record = audit.Rejection(request, AuditOutcomes.ServiceUnavailable, StatusCodes.Status503ServiceUnavailable, keyId);
        if (!(await cluster.IdempotentAsync(() => audit.RecordAsync(record, cluster.Unavailable), startedAt, CancellationToken.None)).Answered)
        {
            GatewayMetrics.Recorded(record);
        }

        if (!context.Response.HasStarted)
        {
            await WriteUnavailableAsync(context.Response, writeError);
        }
    }

    /// <summary>Refuses a request the front end finds invalid before its key grain sees it (a bad query, a path it does not serve): recorded, then answered.</summary>
    public Task RefuseAsync(HttpContext context, AdmissionRequest request, OpenAiError error, string keyId, long startedAt, Func<HttpResponse, OpenAiError, Task> writeError, string? detail = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return AnswerAsync(context, audit.Rejection(request, AuditOutcomes.InvalidRequest, error.Status, keyId, detail, error), error, startedAt, writeError);
    }

    /// <summary>Answers with <paramref name="error"/> once its event is durable (503 when the log cannot take it).</summary>
    private async Task AnswerAsync(HttpContext context, AuditRecord record, OpenAiError error, long startedAt, Func<HttpResponse, OpenAiError, Task> writeError)
    {
        var recorded = await cluster.IdempotentAsync(() => audit.RecordAsync(record, error), startedAt, CancellationToken.None);
        if (recorded.Answered)
        {
            await writeError(context.Response, recorded.Value);
            return;
        }

        // No silo took the event within the window: nothing can be recorded now, only counted.
        GatewayMetrics.Recorded(record with { Outcome = AuditOutcomes.ServiceUnavailable, HttpStatus = StatusCodes.Status503ServiceUnavailable });
        await WriteUnavailableAsync(context.Response, writeError);
    }

    private Task WriteUnavailableAsync(HttpResponse response, Func<HttpResponse, OpenAiError, Task> writeError)
    {
        response.Headers.RetryAfter = cluster.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return writeError(response, cluster.Unavailable);
    }
}
