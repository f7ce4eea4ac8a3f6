using System.Text.Json.Nodes;
using Synapse.Binding;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;
using Synapse.RateLimiting;
using Synapse.Translation;

namespace Synapse.Requests;

/// <summary>
/// Messages' <c>count_tokens</c> for one key: the request translated and bound exactly as a
/// Messages request would be (the key's system prompt included, client <c>system</c> handled as
/// the key says), counted with the gateway's own tokenizer (o200k_base, the estimate the key's
/// token limit reserves). Nothing reaches a provider, so no DLP runs; the key grain runs it off
/// its turn, within the key's limits (<c>ApiKeyGrain</c>).
/// </summary>
/// <param name="Detail">The audit row's detail: the system messages and what the binding dropped.</param>
/// <param name="Dropped">What the binding left out, as a Messages request would report it.</param>
public sealed record TokenCount(int Tokens, string? Model, string? Detail, IReadOnlyList<string> Dropped, Admission? Refusal)
{
    public static TokenCount Of(KeyInfo key, AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(request);
        string? model = null;
        TranslatedRequest? translated = null;
        try
        {
            var body = RequestJson.ParseElement(request.Body ?? []);
            translated = MessagesRequestTranslator.Translate(body, countOnly: true);
            model = translated.Chat["model"] is JsonValue m && m.TryGetValue<string>(out var name) && name.Length > 0 ? name : throw new InvalidRequestException("'model' is required and must be a non-empty string.", "model");
            if (!key.Binding.AllowedModels.Contains(model, StringComparer.Ordinal))
            {
                return Refused(Admission.Refuse(AdmissionOutcome.ModelNotAllowed, "This key is not allowed to use the requested model.", "model"), model);
            }

            var bound = ChatBindingEnforcer.BindChat(translated.Chat, key.Binding, model);
            var dropped = translated.ClientDropped(bound.Dropped);
            return new TokenCount(PromptTokenEstimator.EstimateChat(bound.Body), model, BoundChat.AuditDetail(bound.SystemMessages, dropped), dropped, null);
        }
        catch (InvalidRequestException e)
        {
            var (message, param) = translated?.ClientError(e.Message, e.Param) ?? (e.Message, e.Param);
            return Refused(Admission.Refuse(AdmissionOutcome.InvalidRequest, message, param), model);
        }
    }

    /// <summary>The answer's body: <c>{"input_tokens":N}</c>.</summary>
    public byte[] Answer() => System.Text.Encoding.UTF8.GetBytes($$"""{"input_tokens":{{Tokens}}}""");

    private static TokenCount Refused(Admission refusal, string? model) => new(0, model, null, [], refusal);
}
