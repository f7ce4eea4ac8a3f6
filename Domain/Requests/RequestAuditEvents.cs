using System.Text.Json.Nodes;
using Synapse.Audit;
using Synapse.Binding;
using Synapse.Dlp;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Providers;

namespace Synapse.Requests;

/// <summary>
/// The one place a request's audit events are built — its <c>request</c> event before the
/// provider sees it, its <c>completion</c>, or the <c>rejection</c> that ends it, wherever it is
/// refused (front end or key grain) — with names, ids, counts and keyed digests only. Fields that
/// came from the client (model, user agent) are cut to what the log accepts, never refused there.
/// </summary>
public sealed class RequestAuditEvents(TimeProvider timeProvider, AuditClientScreen screen)
{
    /// <summary>The completion <c>detail</c> field with the gateway-added time (ms); the usage rollup reads it by this name.</summary>
    public const string GatewayMsField = "gatewayMs";

    /// <summary>The completion <c>detail</c> field marking token counts the gateway estimated (the provider reported none).</summary>
    public const string UsageEstimatedField = "usageEstimated";

    /// <summary>A request refused before or at its key; <paramref name="key"/> is null when no key was found.</summary>
    /// <param name="detail">The binding's facts (client system messages, dropped fields), names only.</param>
    /// <param name="errorCode">The code the client was answered with (<see cref="RefusalCodes"/>), recorded in <c>detail.error</c>.</param>
    /// <param name="errorParam">The field the refusal names, recorded as <see cref="FieldPath.ForAudit"/> lets it.</param>
    public AuditRecord Rejection(AdmissionRequest request, KeyInfo? key, string outcome, int httpStatus, string? model = null, DlpVerdict? dlp = null, string? detail = null, string? errorCode = null, string? errorParam = null) =>
        WithDlp(Base(AuditEventKind.Rejection, outcome, request, key) with { Model = ClientText(model), HttpStatus = httpStatus, Detail = DetailOf(request, WithError(detail, errorCode, errorParam)) }, dlp);

    /// <summary>The outcome and status a refusal is recorded with.</summary>
    public static (string Outcome, int Status) Of(AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.DlpBlocked => (AuditOutcomes.DlpBlocked, 400),
        AdmissionOutcome.DlpFailed => (AuditOutcomes.DlpBlocked, 400),
        AdmissionOutcome.NoOnPremRoute => (AuditOutcomes.NoRoute, 403),
        AdmissionOutcome.InvalidKey => (AuditOutcomes.InvalidKey, 401),
        AdmissionOutcome.KeyExpired => (AuditOutcomes.InvalidKey, 401),
        AdmissionOutcome.ModelNotAllowed => (AuditOutcomes.ModelNotAllowed, 403),
        AdmissionOutcome.ModelNotFound => (AuditOutcomes.ModelNotAllowed, 404),
        AdmissionOutcome.NoRoute => (AuditOutcomes.NoRoute, 403),
        AdmissionOutcome.RateLimited => (AuditOutcomes.RateLimited, 429),
        _ => (AuditOutcomes.InvalidRequest, 400),
    };

    /// <summary>
    /// The <c>detail</c> of a request to a path the gateway does not serve (a key tried for
    /// something it was not issued for): the method and path, without the query, screened like
    /// every other text a client chose (<see cref="AuditClientScreen"/>).
    /// </summary>
    public string EndpointDetail(string method, string path) =>
        new JsonObject { ["endpoint"] = screen.Screen(ClientText($"{method} {path}")) }.ToJsonString();

    /// <summary>A model listing or retrieve, or a token count: served by the key itself, no provider involved.</summary>
    public AuditRecord Listing(AdmissionRequest request, KeyInfo key, string? detail = null) =>
        Base(AuditEventKind.Request, AuditOutcomes.Allowed, request, key) with { Model = ClientText(request.Model), HttpStatus = 200, Detail = DetailOf(request, detail) };

    /// <summary>The event made durable before any provider sees the prompt.</summary>
    public AuditRecord Request(AdmissionRequest request, KeyInfo key, PreparedRequest prepared)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        var call = prepared.Call ?? throw new ArgumentException("Only an admitted request has a request event.", nameof(prepared));
        return WithDlp(Base(AuditEventKind.Request, AuditOutcomes.Allowed, request, key) with
        {
            Model = call.Model,
            Provider = call.Provider,
            ProviderLocation = prepared.FirstLocation,
            PromptSha256 = prepared.PromptDigest,
            PromptTokens = prepared.PromptTokens,
            Detail = DetailOf(request, prepared.Detail),
        }, prepared.Dlp);
    }

    /// <summary>How the call ended: who served it, usage, the answer's digest, response-side DLP.</summary>
    public AuditRecord Completion(AdmissionRequest request, KeyInfo key, ProviderCall call, CallOutcome outcome, ProviderLocation? location, string? answerDigest)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(outcome);
        return WithDlp(Base(AuditEventKind.Completion, outcome.AuditOutcome, request, key) with
        {
            Model = call.Model,
            Provider = outcome.ServedBy ?? call.Provider,
            ProviderLocation = location,
            HttpStatus = outcome.HttpStatus,
            ResponseSha256 = answerDigest,
            PromptTokens = outcome.Usage.PromptTokens,
            CompletionTokens = outcome.Usage.CompletionTokens,
            LatencyMs = WholeMilliseconds(outcome.Timings.Upstream),
            Detail = DetailOf(request, CompletionDetail(outcome.Timings.GatewayAdded, call.OtherDroppedFieldsOf(outcome.ServedBy), outcome.UsageEstimated)),
        }, outcome.Dlp);
    }

    /// <summary>The <c>api</c> of a Messages <c>count_tokens</c> row.</summary>
    public const string TokenCountApi = "messages.count_tokens";

    /// <summary>The API a request came through, as the audit log names it.</summary>
    public static string Api(RequestOperation operation) => operation switch
    {
        RequestOperation.ChatCompletions => "chat.completions",
        RequestOperation.Embeddings => "embeddings",
        RequestOperation.ListModels => "models",
        RequestOperation.RetrieveModel => "models.retrieve",
        RequestOperation.UnknownEndpoint => "unknown",
        _ => operation.ToString().ToLowerInvariant(),
    };

    private AuditRecord Base(AuditEventKind kind, string outcome, AdmissionRequest request, KeyInfo? key) =>
        AuditRecord.Create(kind, outcome, timeProvider.GetUtcNow()) with
        {
            RequestId = request.RequestId,
            KeyId = key?.Id,
            TeamId = key?.Binding.TeamId,
            Api = request.Api switch
            {
                ClientApi.Messages => "messages",
                ClientApi.Responses => "responses",
                ClientApi.MessagesCountTokens => TokenCountApi,
                _ => Api(request.Operation),
            },
            ClientAddress = ClientText(request.ClientAddress),
            UserAgent = ClientText(request.UserAgent),
        };

    /// <summary>The DLP categories found and the actions taken (names only).</summary>
    private static AuditRecord WithDlp(AuditRecord record, DlpVerdict? verdict)
    {
        if (verdict is null)
        {
            return record;
        }

        var found = verdict.BlockedCategories.Select(c => (c, "block"))
            .Concat(verdict.RedactedCategories.Select(c => (c, "redact")))
            .Concat(verdict.OnPremOnlyCategories.Select(c => (c, "route_on_prem")))
            .Concat(verdict.AlertedCategories.Select(c => (c, "alert")))
            .ToList();
        return found.Count == 0 ? record : record with { DlpCategories = [.. found.Select(f => f.Item1)], DlpActions = [.. found.Select(f => f.Item2)] };
    }

    /// <summary>
    /// <paramref name="detail"/>, with <c>"resent": true</c> when the front end sent the request a
    /// second time after losing its first attempt with a silo: the log then holds a second set of
    /// events under the same request id, and the first attempt may have reached a provider.
    /// </summary>
    private static string? DetailOf(AdmissionRequest request, string? detail)
    {
        if (!request.Resent)
        {
            return detail;
        }

        var facts = detail is null ? [] : JsonNode.Parse(detail)!.AsObject();
        facts["resent"] = true;
        return facts.ToJsonString();
    }

    /// <summary>
    /// A rejection's <c>detail</c> with <c>"error":{"code","param"}</c>: what the client was told,
    /// in the gateway's own words only. The code is one of the gateway's (plain lower-case words,
    /// else <c>(unknown)</c>); the param a field path of known names (<see cref="FieldPath.ForAudit"/>),
    /// so no string a client chose can reach the row through either.
    /// </summary>
    private static string? WithError(string? detail, string? code, string? param)
    {
        if (code is null)
        {
            return detail;
        }

        var error = new JsonObject { ["code"] = code.Length <= 64 && code.All(c => c is (>= 'a' and <= 'z') or '_') ? code : FieldPath.Unknown };
        if (FieldPath.ForAudit(param) is { } path)
        {
            error["param"] = path;
        }

        var facts = detail is null ? [] : JsonNode.Parse(detail)!.AsObject();
        facts["error"] = error;
        return facts.ToJsonString();
    }

    /// <summary>
    /// The completion's own facts: <c>gatewayMs</c>, the time the gateway added to the request
    /// (<see cref="CallTimings.GatewayAdded"/>), in whole milliseconds (the usage rollup reads it
    /// from here); and <c>droppedFields</c> when a failover took the request to a provider that was
    /// sent other fields than the request event names (its own list, empty when it took them all).
    /// And <c>usageEstimated: true</c> when the provider reported no usage, so the row's token
    /// counts are the gateway's estimate (<see cref="CallOutcome.EstimateUnreportedUsage"/>).
    /// All are part of the signed row like every other fact in <c>detail</c>.
    /// </summary>
    private static string? CompletionDetail(TimeSpan? added, IReadOnlyList<string>? droppedOnFailover, bool usageEstimated)
    {
        var facts = new JsonObject();
        if (WholeMilliseconds(added) is { } ms)
        {
            facts[GatewayMsField] = ms;
        }

        if (droppedOnFailover is not null)
        {
            facts["droppedFields"] = new JsonArray([.. droppedOnFailover.Select(name => (JsonNode)name)]);
        }

        if (usageEstimated)
        {
            facts[UsageEstimatedField] = true;
        }

        return facts.Count > 0 ? facts.ToJsonString() : null;
    }

    private static long? WholeMilliseconds(TimeSpan? time) => time is { } t ? (long)t.TotalMilliseconds : null;

    /// <summary>Client-supplied text as the log accepts it: printable, cut to the field limit.</summary>
    private static string? ClientText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var printable = new string([.. text.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).Take(AuditRecordValidator.MaxFieldLength)]);
        return printable.Length == 0 ? null : printable;
    }
}
