using Synapse.Binding;
using Synapse.Gateway.OpenAi;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;
using Synapse.RateLimiting;
using Synapse.Requests;
using Synapse.Translation;

namespace Synapse.Gateway.ClientApis;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c>: the request translated and bound exactly as a Messages
/// request would be (the key's system prompt included, client <c>system</c> handled as the key
/// says), counted with the gateway's own tokenizer (o200k_base, the estimate the key's token limit
/// reserves), and audited. Nothing reaches a provider, so no limit is spent and no DLP runs.
/// </summary>
internal sealed class TokenCounter(IGrainFactory grains, RequestAuditEvents events, RequestAuditWriter writer)
{
    /// <returns>The answer, or the refusal to write; <c>Dropped</c> names what the binding left out, as a Messages request would report it.</returns>
    public async Task<(int Status, byte[] Body, OpenAiError? Error, IReadOnlyList<string> Dropped)> CountAsync(AdmissionRequest request, string keyId)
    {
        var info = await grains.GetGrain<IApiKeyGrain>(keyId).GetInfo();
        if (info is not { RevokedAt: null })
        {
            return await RefuseAsync(request, null, OpenAiError.InvalidApiKey, AdmissionOutcome.InvalidKey);
        }

        string? model = null;
        TranslatedRequest? translated = null;
        try
        {
            var body = RequestJson.ParseElement(request.Body ?? []);
            translated = MessagesRequestTranslator.Translate(body, countOnly: true);
            model = translated.Chat["model"] is System.Text.Json.Nodes.JsonValue m && m.TryGetValue<string>(out var name) && name.Length > 0 ? name : throw new InvalidRequestException("'model' is required and must be a non-empty string.", "model");
            if (!info.Binding.AllowedModels.Contains(model, StringComparer.Ordinal))
            {
                var refusal = new OpenAiError(StatusCodes.Status403Forbidden, "This key is not allowed to use the requested model.", OpenAiError.InvalidRequestType, "model_not_allowed", "model");
                return await RefuseAsync(request, info, refusal, AdmissionOutcome.ModelNotAllowed, model);
            }

            var bound = ChatBindingEnforcer.BindChat(translated.Chat, info.Binding, model);
            var dropped = translated.ClientDropped(bound.Dropped);
            var tokens = PromptTokenEstimator.EstimateChat(bound.Body);
            var record = events.Listing(request, info, BoundChat.AuditDetail(bound.SystemMessages, dropped)) with { Model = model, PromptTokens = tokens };
            return await writer.TryRecordAsync(record)
                ? (StatusCodes.Status200OK, System.Text.Encoding.UTF8.GetBytes($$"""{"input_tokens":{{tokens}}}"""), null, dropped)
                : (0, [], RequestAudit.Unavailable, []);
        }
        catch (InvalidRequestException e)
        {
            var (message, param) = translated?.ClientError(e.Message, e.Param) ?? (e.Message, e.Param);
            return await RefuseAsync(request, info, OpenAiError.BadRequest(message, param), AdmissionOutcome.InvalidRequest, model);
        }
    }

    private async Task<(int, byte[], OpenAiError?, IReadOnlyList<string>)> RefuseAsync(AdmissionRequest request, KeyInfo? info, OpenAiError error, AdmissionOutcome outcome, string? model = null)
    {
        var (auditOutcome, status) = RequestAuditEvents.Of(outcome);
        var durable = await writer.TryRecordAsync(events.Rejection(request, info, auditOutcome, status, model));
        return (0, [], durable ? error : RequestAudit.Unavailable, []);
    }
}
