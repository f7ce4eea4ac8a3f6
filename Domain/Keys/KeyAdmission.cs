using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Audit;
using Synapse.Binding;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.RateLimiting;
using Synapse.Routing;

namespace Synapse.Keys;

/// <summary>
/// A request's way through its key, top to bottom: parse, allowlist, binding, prompt DLP, route,
/// rate limits, and the bound provider call with its audit event. Plain code with no I/O, so the
/// key grain's turn stays short and every step can be tested on its own.
/// </summary>
public sealed class KeyAdmission(ProviderCatalog providers, AuditDigester digester, TimeProvider timeProvider)
{
    /// <summary>What the audit event of the verdict needs beyond the admission itself (<paramref name="Detail"/>: the row's <c>detail</c>).</summary>
    public sealed record Context(string? Model, DlpVerdict Dlp, string? Detail = null);

    public (Admission Admission, Context Context) Decide(KeyInfo info, AdmissionRequest request, DlpScanner scanner, KeyRateLimiter limiter)
    {
        string? model = null;
        string? detail = null;
        var dlp = DlpVerdict.Clean;
        try
        {
            var body = RequestJson.ParseObject(request.Body ?? []);
            model = ReadModel(body);
            if (!info.Binding.AllowedModels.Contains(model, StringComparer.Ordinal))
            {
                return (Admission.Refuse(AdmissionOutcome.ModelNotAllowed, "This key is not allowed to use the requested model.", "model"), new(model, dlp, detail));
            }

            var isChat = request.Operation != RequestOperation.Embeddings;
            IReadOnlyList<string> dropped = [];
            var chat = isChat ? ChatBindingEnforcer.BindChat(body, info.Binding, model) : null;
            var bound = chat?.Body ?? EmbeddingsBindingEnforcer.Bind(body, model, out dropped);
            var stream = chat?.Stream ?? false;
            detail = BoundChat.AuditDetail(chat?.SystemMessages ?? ClientSystemHandling.None, chat?.Dropped ?? dropped);
            dlp = PromptDlp.Apply(bound, scanner, skipFirstMessage: isChat && info.Binding.SystemPrompt.Length > 0);
            if (dlp.IsBlocked)
            {
                var message = $"The request was blocked by the data-loss-prevention policy: it contains {string.Join(", ", dlp.BlockedCategories)}.";
                return (Admission.Refuse(AdmissionOutcome.DlpBlocked, message), new(model, dlp, detail));
            }

            // A route_on_prem finding makes this one request sensitive, whatever the key's class.
            var classification = dlp.OnPremOnlyCategories.Count > 0 ? DataClassification.Sensitive : info.Binding.Classification;
            var route = providers.Candidates(model, classification).Select(r => r.Name).ToArray();
            if (route.Length == 0)
            {
                return classification == info.Binding.Classification
                    ? (Admission.Refuse(AdmissionOutcome.NoRoute, "No provider that this key may use serves the requested model.", "model"), new(model, dlp, detail))
                    : (Admission.Refuse(AdmissionOutcome.NoOnPremRoute, "The request contains data that must stay on-prem, and no on-prem provider serves the requested model.", "model"), new(model, dlp, detail));
            }

            var estimate = isChat ? PromptTokenEstimator.EstimateChat(bound) : PromptTokenEstimator.EstimateEmbeddings(bound);
            var decision = limiter.TryAdmit(request.RequestId, estimate);
            if (!decision.Admitted)
            {
                return (new Admission(AdmissionOutcome.RateLimited, RateLimitMessage(decision.RefusedBy!), null, null, null, decision.Snapshot, decision.RetryAfter), new(model, dlp, detail));
            }

            // What the first provider on the route cannot take is reported as dropped too.
            dropped = chat?.DroppedFor(providers.Find(route[0])!.Options.Type) ?? dropped;
            detail = BoundChat.AuditDetail(chat?.SystemMessages ?? ClientSystemHandling.None, dropped);
            var call = new ProviderCall(request.RequestId, info.Id, info.Binding.TeamId, route[0], model, request.Operation, stream, JsonSerializer.SerializeToUtf8Bytes(bound), route, classification, DlpOverrides: info.Binding.Dlp, ClientWantsUsage: isChat && ChatBindingEnforcer.ClientWantsUsage(body), DroppedFields: dropped.Count > 0 ? dropped : null);
            var requestEvent = AdmissionAudit.Request(call, providers.Find(route[0])!.Location, AdmissionAudit.PromptDigest(digester, bound), estimate, timeProvider.GetUtcNow()) with { Detail = detail };
            call = call with { RequestAudit = AdmissionAudit.WithDlp(requestEvent, dlp) };
            return (new Admission(AdmissionOutcome.Admitted, null, null, call, null, decision.Snapshot), new(model, dlp, detail));
        }
        catch (InvalidRequestException e)
        {
            return (Admission.Refuse(AdmissionOutcome.InvalidRequest, e.Message, e.Param), new(model, dlp, e.AuditDetail ?? detail));
        }
        catch (DlpScanException)
        {
            // Fail closed: a request the engine could not finish scanning is never forwarded.
            return (Admission.Refuse(AdmissionOutcome.DlpFailed, "The request could not be checked by the data-loss-prevention policy in time, so it was not forwarded."), new(model, dlp, detail));
        }
    }

    private static string RateLimitMessage(string limit) => limit switch
    {
        KeyRateLimiter.ConcurrencyLimit => "This key has reached its limit of concurrent requests.",
        KeyRateLimiter.TokensLimit => "This key has reached its tokens-per-minute limit.",
        _ => "This key has reached its requests-per-minute limit.",
    };

    private static string ReadModel(JsonObject body) =>
        body["model"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } model
            ? model
            : throw new InvalidRequestException("'model' is required and must be a non-empty string.", "model");
}
