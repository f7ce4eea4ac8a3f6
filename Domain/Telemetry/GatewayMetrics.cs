using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Telemetry;

/// <summary>
/// The gateway's instruments: OpenTelemetry's GenAI client metrics where they exist
/// (<c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.duration</c>,
/// <c>gen_ai.client.operation.time_to_first_chunk</c>) and Synapse's own under <c>synapse.*</c>.
/// Every request's outcome is counted from its final audit event, so the counters and the audit
/// log agree by construction. A tag is a name or an id the gateway issued (team, key, a configured
/// model or provider), never text a client chose: a model a request names is only a tag once the
/// request was routed to a provider that serves it.
/// </summary>
public static class GatewayMetrics
{
    // OpenTelemetry's advice for these GenAI histograms (semantic conventions, gen-ai-metrics).
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly double[] AuditBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly long[] BatchBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

    private static readonly Histogram<long> TokenUsage = Histogram("gen_ai.client.token.usage", "{token}", "Input and output tokens of each provider call, as the provider reported them.", TokenBuckets);
    private static readonly Histogram<double> OperationDuration = Histogram("gen_ai.client.operation.duration", "s", "How long each provider call took, failover included, until its last byte.", DurationBuckets);
    private static readonly Histogram<double> TimeToFirstChunk = Histogram("gen_ai.client.operation.time_to_first_chunk", "s", "Time from a streamed provider call's start to its first chunk.", DurationBuckets);
    private static readonly Histogram<double> AuditAppendDuration = Histogram("synapse.audit.append.duration", "s", "How long a request path waited for an audit event to be durable.", AuditBuckets);
    private static readonly Histogram<long> AuditBatchSize = Histogram("synapse.audit.batch.size", "{event}", "Events committed together by a silo's audit writer (group commit).", BatchBuckets);

    private static readonly Counter<long> Requests = Counter("synapse.requests", "{request}", "Requests answered, by outcome, team, key, model, provider and location.");
    private static readonly Counter<long> DlpFindings = Counter("synapse.dlp.findings", "{finding}", "DLP categories found in prompts and answers, by category and the action taken.");
    private static readonly Counter<long> RateLimitRefusals = Counter("synapse.rate_limit.refusals", "{request}", "Requests refused by a key's limits, by the limit that refused them.");
    private static readonly Counter<long> WebhookFailures = Counter("synapse.webhook.delivery.failures", "{attempt}", "Webhook delivery attempts that failed, by webhook and reason.");

    private static readonly ConcurrentDictionary<object, Func<IEnumerable<Measurement<int>>>> CircuitSources = new();
    private static readonly ConcurrentDictionary<object, Func<int>> InFlightSources = new();
    private static long _outboxDepth = -1;

    static GatewayMetrics()
    {
        GatewayTelemetry.Meter.CreateObservableGauge(
            "synapse.provider.circuit.state", () => CircuitSources.Values.SelectMany(s => s()), "{state}",
            "Each provider's circuit on this silo: 0 closed, 1 half-open, 2 open, 3 isolated.");
        GatewayTelemetry.Meter.CreateObservableUpDownCounter(
            "synapse.requests.in_flight", () => InFlightSources.Values.Sum(s => s()), "{request}",
            "Requests this process holds: admitted, not yet answered and audited.");
        GatewayTelemetry.Meter.CreateObservableGauge(
            "synapse.webhook.outbox.depth", ObserveOutboxDepth, "{delivery}",
            "Webhook deliveries waiting in the outbox (pending rows), as last counted by this silo.");
    }

    /// <summary>Counts a request (and the DLP findings it carries) from the audit event just made durable.</summary>
    public static void Recorded(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Kind == AuditEventKind.Admin)
        {
            return;
        }

        CountFindings(record);
        if (record.Outcome == AuditOutcomes.InvalidKey)
        {
            // Counted when refused (AuthenticationFailed): their audit rows are one per source and window.
            return;
        }

        var isListing = record.Kind == AuditEventKind.Request && record.Provider is null;
        if (record.Kind != AuditEventKind.Request || isListing)
        {
            // An admitted request is counted by its completion; a listing has no completion.
            var routed = record.Provider is not null;
            Requests.Add(record.Count ?? 1, RequestTags(
                record.Outcome, record.Api, record.TeamId, record.KeyId, routed ? record.Model : null, record.Provider, Location(record.ProviderLocation), record.HttpStatus ?? 0));
        }
    }

    /// <summary>A request refused for its key (missing, unknown, malformed) with <paramref name="status"/> 401 or 429.</summary>
    public static void AuthenticationFailed(int status) =>
        Requests.Add(1, RequestTags(AuditOutcomes.InvalidKey, null, null, null, null, null, string.Empty, status));

    /// <summary>A key's limits refused a request: <paramref name="limit"/> is <c>requests</c>, <c>tokens</c> or <c>concurrency</c>.</summary>
    public static void RateLimited(string limit, string teamId, string keyId) =>
        RateLimitRefusals.Add(1, new TagList { { "synapse.rate_limit.limit", limit }, { "synapse.team.id", teamId }, { "synapse.key.id", keyId } });

    /// <summary>One provider call ended (failover included): its duration and, when reported, its tokens.</summary>
    public static void ProviderCallEnded(ProviderCallTags call, TimeSpan duration, int inputTokens, int outputTokens, string? errorType)
    {
        ArgumentNullException.ThrowIfNull(call);
        var tags = call.ToTagList();
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        OperationDuration.Record(duration.TotalSeconds, tags);
        if (errorType is null && inputTokens + outputTokens > 0)
        {
            var input = call.ToTagList();
            input.Add("gen_ai.token.type", "input");
            TokenUsage.Record(inputTokens, input);
            var output = call.ToTagList();
            output.Add("gen_ai.token.type", "output");
            TokenUsage.Record(outputTokens, output);
        }
    }

    /// <summary>A streamed provider call's first chunk arrived.</summary>
    public static void FirstChunk(ProviderCallTags call, TimeSpan sinceStart)
    {
        ArgumentNullException.ThrowIfNull(call);
        TimeToFirstChunk.Record(sinceStart.TotalSeconds, call.ToTagList());
    }

    /// <summary>How long a caller waited for an audit event; <paramref name="durable"/> false when the log refused it.</summary>
    public static void AuditAppended(TimeSpan waited, bool durable) =>
        AuditAppendDuration.Record(waited.TotalSeconds, new TagList { { "synapse.audit.result", durable ? "durable" : "unavailable" } });

    /// <summary>A silo's audit writer committed <paramref name="events"/> events in one transaction.</summary>
    public static void AuditBatchCommitted(int events) => AuditBatchSize.Record(events);

    /// <summary>A webhook delivery attempt failed; <paramref name="reason"/> is the dispatcher's error code.</summary>
    public static void WebhookFailed(string webhook, string reason) =>
        WebhookFailures.Add(1, new TagList { { "synapse.webhook.name", webhook }, { "error.type", reason } });

    /// <summary>The pending outbox rows, as last counted.</summary>
    public static void OutboxDepth(long pending) => Interlocked.Exchange(ref _outboxDepth, pending);

    /// <summary>Reports <paramref name="source"/>'s circuits until the returned handle is disposed.</summary>
    public static IDisposable ObserveCircuits(Func<IEnumerable<(string Provider, string State)>> source)
    {
        var key = new object();
        CircuitSources[key] = () => source().Select(c => new Measurement<int>(CircuitValue(c.State), new KeyValuePair<string, object?>("synapse.provider.name", c.Provider)));
        return new Registration(() => CircuitSources.TryRemove(key, out _));
    }

    /// <summary>Reports <paramref name="count"/> as held requests until the returned handle is disposed.</summary>
    public static IDisposable ObserveInFlight(Func<int> count)
    {
        var key = new object();
        InFlightSources[key] = count;
        return new Registration(() => InFlightSources.TryRemove(key, out _));
    }

    // OpenTelemetry's bucket advice travels with each histogram (semantic conventions, gen-ai-metrics).
    private static Histogram<T> Histogram<T>(string name, string unit, string description, T[] buckets)
        where T : struct =>
        GatewayTelemetry.Meter.CreateHistogram(name, unit, description, advice: new InstrumentAdvice<T> { HistogramBucketBoundaries = buckets });

    private static Counter<long> Counter(string name, string unit, string description) =>
        GatewayTelemetry.Meter.CreateCounter<long>(name, unit, description);

    /// <summary>A request's tags, every one always present (empty when unknown), so each series has the same labels.</summary>
    private static TagList RequestTags(string outcome, string? api, string? teamId, string? keyId, string? model, string? provider, string location, int status) => new()
    {
        { "synapse.outcome", outcome },
        { "synapse.api", api ?? string.Empty },
        { "synapse.team.id", teamId ?? string.Empty },
        { "synapse.key.id", keyId ?? string.Empty },
        { "gen_ai.request.model", model ?? string.Empty },
        { "synapse.provider.name", provider ?? string.Empty },
        { "synapse.provider.location", location },
        { "http.response.status_code", status },
    };

    private static IEnumerable<Measurement<long>> ObserveOutboxDepth()
    {
        var depth = Interlocked.Read(ref _outboxDepth);
        return depth < 0 ? [] : [new Measurement<long>(depth)];
    }

    private static void CountFindings(AuditRecord record)
    {
        if (record.DlpCategories is not { Count: > 0 } categories || record.DlpActions is not { } actions)
        {
            return;
        }

        var direction = record.Kind == AuditEventKind.Completion ? "response" : "prompt";
        for (var i = 0; i < categories.Count && i < actions.Count; i++)
        {
            DlpFindings.Add(1, new TagList
            {
                { "synapse.dlp.category", categories[i] },
                { "synapse.dlp.action", actions[i] },
                { "synapse.dlp.direction", direction },
            });
        }
    }

    private static string Location(ProviderLocation? location) => location switch
    {
        ProviderLocation.OnPrem => "on-prem",
        ProviderLocation.Cloud => "cloud",
        _ => string.Empty,
    };

    private static int CircuitValue(string state) => state switch
    {
        "closed" => 0,
        "half-open" => 1,
        "open" => 2,
        _ => 3,
    };

    private sealed class Registration(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
