using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Synapse.Audit;
using Synapse.Binding;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.RateLimiting;
using Synapse.Routing;
using Synapse.Translation;

namespace Synapse.Requests;

/// <summary>
/// A request's way through its key up to the limits, top to bottom: parse, allowlist, binding,
/// prompt DLP, route, token estimate and output reservation. Plain code with no I/O and no
/// shared state, so the key grain runs it outside its turn: however large or hostile a body is,
/// the key's other requests are not held up while it is read.
/// </summary>
public sealed class RequestPreparer(ProviderCatalog providers, AuditDigester digester, IOptions<RequestLimitsOptions> limits)
{
    /// <param name="systemPromptTokens">The key's system prompt, already counted (it never changes).</param>
    public PreparedRequest Prepare(KeyInfo info, AdmissionRequest request, DlpScanner scanner, int systemPromptTokens)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(request);
        string? model = null;
        string? detail = null;
        var dlp = DlpVerdict.Clean;
        TranslatedRequest? translated = null;
        try
        {
            var parsed = RequestJson.ParseElement(request.Body ?? []);
            model = ReadModel(parsed);
            JsonObject body;
            if (request.Api != ClientApi.OpenAi)
            {
                // Messages and Responses bodies become the internal request here, once: from now
                // on they are bound, scanned, routed and audited exactly like Chat Completions.
                translated = ClientRequestTranslator.Translate(request.Api, parsed);
                body = translated.Chat;
            }
            else
            {
                body = JsonObject.Create(parsed)!;
            }

            if (!info.Binding.AllowedModels.Contains(model, StringComparer.Ordinal))
            {
                return PreparedRequest.Refused(Admission.Refuse(AdmissionOutcome.ModelNotAllowed, "This key is not allowed to use the requested model.", "model"), model, dlp);
            }

            var isChat = request.Operation != RequestOperation.Embeddings;
            var hasSystemPrompt = isChat && info.Binding.SystemPrompt.Length > 0;
            IReadOnlyList<string> dropped = [];
            var chat = isChat ? ChatBindingEnforcer.BindChat(body, info.Binding, model) : null;
            var bound = chat?.Body ?? EmbeddingsBindingEnforcer.Bind(body, model, out dropped);
            var stream = chat?.Stream ?? false;
            dropped = translated?.ClientDropped(chat!.Dropped) ?? chat?.Dropped ?? dropped;
            detail = BoundChat.AuditDetail(chat?.SystemMessages ?? ClientSystemHandling.None, dropped);
            var output = isChat ? OutputReservation.Tokens(bound, info.Binding.Limits, limits.Value) : 0;
            dlp = PromptDlp.Apply(bound, scanner, skipFirstMessage: hasSystemPrompt);
            if (dlp.IsBlocked)
            {
                var message = $"The request was blocked by the data-loss-prevention policy: it contains {string.Join(", ", dlp.BlockedCategories)}.";
                return PreparedRequest.Refused(Admission.Refuse(AdmissionOutcome.DlpBlocked, message), model, dlp, detail);
            }

            // A route_on_prem finding makes this one request sensitive, whatever the key's class.
            var classification = dlp.OnPremOnlyCategories.Count > 0 ? DataClassification.Sensitive : info.Binding.Classification;
            var route = providers.Candidates(model, classification).ToArray();
            if (route.Length == 0)
            {
                var refusal = classification == info.Binding.Classification
                    ? Admission.Refuse(AdmissionOutcome.NoRoute, "No provider that this key may use serves the requested model.", "model")
                    : Admission.Refuse(AdmissionOutcome.NoOnPremRoute, "The request contains data that must stay on-prem, and no on-prem provider serves the requested model.", "model");
                return PreparedRequest.Refused(refusal, model, dlp, detail);
            }

            var promptTokens = isChat
                ? PromptTokenEstimator.EstimateChat(bound, hasSystemPrompt ? systemPromptTokens : null)
                : PromptTokenEstimator.EstimateEmbeddings(bound);
            // What the first provider on the route cannot take is reported as dropped too; what a
            // later one of another type would not take, for when it is the one that answers.
            var dropping = dropped;
            IReadOnlyList<string> DroppedFor(ProviderRoute r) =>
                chat?.DroppedFor(r.Options.Type) is { } forProvider ? translated?.ClientDropped(forProvider) ?? forProvider : dropping;
            dropped = DroppedFor(route[0]);
            var droppedOnFailover = DroppedOnFailover(route, dropped, DroppedFor);
            detail = BoundChat.AuditDetail(chat?.SystemMessages ?? ClientSystemHandling.None, dropped);
            var call = new ProviderCall(
                request.RequestId, info.Id, info.Binding.TeamId, route[0].Name, model, request.Operation, stream,
                JsonSerializer.SerializeToUtf8Bytes(bound), [.. route.Select(r => r.Name)], classification,
                DlpOverrides: info.Binding.Dlp, ClientWantsUsage: isChat && ChatBindingEnforcer.ClientWantsUsage(body),
                DroppedFields: dropped.Count > 0 ? dropped : null) { Api = request.Api, DroppedFieldsOnFailover = droppedOnFailover, ClientWantsBase64 = !isChat && EmbeddingsBindingEnforcer.WantsBase64(bound) };
            return new PreparedRequest(model, dlp)
            {
                Call = call,
                FirstLocation = route[0].Location,
                PromptDigest = PromptDigest(bound),
                PromptTokens = promptTokens,
                ReservedTokens = (int)Math.Min(int.MaxValue, promptTokens + output),
                Detail = detail,
            };
        }
        catch (InvalidRequestException e)
        {
            var (message, param) = translated?.ClientError(e.Message, e.Param) ?? (e.Message, e.Param);
            return PreparedRequest.Refused(Admission.Refuse(AdmissionOutcome.InvalidRequest, message, param), model, dlp, e.AuditDetail ?? detail);
        }
        catch (DlpScanException)
        {
            // Fail closed: a request the engine could not finish scanning is never forwarded.
            return PreparedRequest.Refused(Admission.Refuse(AdmissionOutcome.DlpFailed, "The request could not be checked by the data-loss-prevention policy in time, so it was not forwarded."), model, dlp, detail);
        }
    }

    /// <summary>The later providers on the route that leave out other fields than the first, with those fields; null when none does.</summary>
    private static Dictionary<string, IReadOnlyList<string>>? DroppedOnFailover(ProviderRoute[] route, IReadOnlyList<string> first, Func<ProviderRoute, IReadOnlyList<string>> droppedFor)
    {
        Dictionary<string, IReadOnlyList<string>>? others = null;
        foreach (var later in route.Skip(1))
        {
            var dropped = droppedFor(later);
            if (!dropped.SequenceEqual(first, StringComparer.Ordinal))
            {
                (others ??= [])[later.Name] = dropped;
            }
        }

        return others;
    }

    /// <summary>The digest of what the provider will see: bound messages, or the embeddings input.</summary>
    private string PromptDigest(JsonObject bound) => bound["messages"] is JsonArray messages
        ? digester.ChatPrompt(messages)
        : digester.Prompt(bound["input"]?.ToJsonString() ?? string.Empty);

    private static string ReadModel(JsonElement body) =>
        body.TryGetProperty("model"u8, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } model
            ? model
            : throw new InvalidRequestException("'model' is required and must be a non-empty string.", "model");
}
