using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Synapse.Grains.Audit;
using Synapse.Grains.Binding;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Grains.RateLimiting;
using Synapse.Grains.Routing;

namespace Synapse.Grains.Keys;

/// <summary>
/// One key: its binding and its live request state. Each turn is short and does no I/O on the
/// request path: admission checks the secret, the allowlist and the route and hands back the
/// bound provider call; the call itself runs in <see cref="Providers.ProviderCallGrain"/>.
/// </summary>
[GrainType("synapse.api-key")]
internal sealed partial class ApiKeyGrain(
    [PersistentState("key", StorageNames.Synapse)] IPersistentState<ApiKeyState> state,
    ProviderCatalog providers,
    AuditDigester digester,
    TimeProvider timeProvider,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    private KeyRateLimiter? _limiter;

    public async Task Initialize(KeyInfo info, string secretSha256)
    {
        if (state.State.Info is not null)
        {
            throw new InvalidOperationException("A key's binding is set once, at creation.");
        }

        state.State.Info = info;
        state.State.SecretSha256 = secretSha256;
        await state.WriteStateAsync();
    }

    public Task<KeyInfo?> GetInfo() => Task.FromResult(state.State.Info);

    public async Task<KeyInfo?> Revoke()
    {
        if (state.State.Info is not { } info)
        {
            return null;
        }

        if (info.RevokedAt is null)
        {
            state.State.Info = info with { RevokedAt = timeProvider.GetUtcNow() };
            await state.WriteStateAsync();
            Log.KeyRevoked(logger, info.Id);
        }

        return state.State.Info;
    }

    public Task<Admission> Admit(AdmissionRequest request)
    {
        string? model = null;
        var admission = AdmitNow(request, ref model);
        var now = timeProvider.GetUtcNow();
        if (admission.Outcome != AdmissionOutcome.Admitted)
        {
            var (outcome, status) = AdmissionAudit.Of(admission.Outcome);
            admission = admission with { Audit = AdmissionAudit.Rejection(request.RequestId, state.State.Info, outcome, status, model, null, now) };
        }
        else if (admission.Call is null)
        {
            admission = admission with { Audit = AdmissionAudit.Rejection(request.RequestId, state.State.Info, AuditOutcomes.Allowed, 200, null, null, now) with { Kind = AuditEventKind.Request } };
        }

        return Task.FromResult(admission);
    }

    public Task Complete(RequestCompletion completion)
    {
        _limiter?.Complete(completion.RequestId, completion.PromptTokens + completion.CompletionTokens);
        return Task.CompletedTask;
    }

    public async Task<KeyInfo?> UpdateLimits(KeyLimits limits)
    {
        if (state.State.Info is not { } info)
        {
            return null;
        }

        state.State.Info = info with { Binding = info.Binding with { Limits = limits } };
        await state.WriteStateAsync();
        _limiter?.UpdateLimits(limits);
        Log.LimitsChanged(logger, info.Id);
        return state.State.Info;
    }

    private Admission AdmitNow(AdmissionRequest request, ref string? model)
    {
        if (state.State is not { Info: { RevokedAt: null } info, SecretSha256: { } hash }
            || !ApiKeySecrets.HashesEqual(hash, request.PresentedSecretSha256))
        {
            return Admission.Refuse(AdmissionOutcome.InvalidKey, "Invalid API key.");
        }

        if (request.Operation == RequestOperation.ListModels)
        {
            return new Admission(AdmissionOutcome.Admitted, null, null, null, info.Binding.AllowedModels, _limiter?.Snapshot());
        }

        try
        {
            var body = RequestJson.ParseObject(request.Body ?? []);
            model = ReadModel(body);
            if (!info.Binding.AllowedModels.Contains(model, StringComparer.Ordinal))
            {
                return Admission.Refuse(AdmissionOutcome.ModelNotAllowed, "This key is not allowed to use the requested model.", "model");
            }

            var route = providers.Candidates(model, info.Binding.Classification).Select(r => r.Name).ToArray();
            if (route.Length == 0)
            {
                return Admission.Refuse(AdmissionOutcome.NoRoute, "No provider that this key may use serves the requested model.", "model");
            }

            var stream = false;
            var bound = request.Operation == RequestOperation.Embeddings
                ? EmbeddingsBindingEnforcer.Bind(body, model)
                : ChatBindingEnforcer.Bind(body, info.Binding, model, out stream);
            var estimate = request.Operation == RequestOperation.Embeddings
                ? PromptTokenEstimator.EstimateEmbeddings(bound)
                : PromptTokenEstimator.EstimateChat(bound);
            _limiter ??= new KeyRateLimiter(info.Binding.Limits, timeProvider);
            var decision = _limiter.TryAdmit(request.RequestId, estimate);
            if (!decision.Admitted)
            {
                return new Admission(AdmissionOutcome.RateLimited, RateLimitMessage(decision.RefusedBy!), null, null, null, decision.Snapshot, decision.RetryAfter);
            }

            var call = new ProviderCall(request.RequestId, info.Id, info.Binding.TeamId, route[0], model, request.Operation, stream, JsonSerializer.SerializeToUtf8Bytes(bound), route, info.Binding.Classification);
            var location = providers.Find(route[0])!.Location;
            call = call with { RequestAudit = AdmissionAudit.Request(call, location, AdmissionAudit.PromptDigest(digester, bound), estimate, timeProvider.GetUtcNow()) };
            return new Admission(AdmissionOutcome.Admitted, null, null, call, null, decision.Snapshot);
        }
        catch (InvalidRequestException e)
        {
            return Admission.Refuse(AdmissionOutcome.InvalidRequest, e.Message, e.Param);
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

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Key {KeyId} revoked")]
        public static partial void KeyRevoked(ILogger logger, string keyId);

        [LoggerMessage(2, LogLevel.Information, "Key {KeyId} limits changed")]
        public static partial void LimitsChanged(ILogger logger, string keyId);
    }
}
