using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Synapse.Grains.Binding;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
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
    TimeProvider timeProvider,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);

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

    public Task<Admission> Admit(AdmissionRequest request) => Task.FromResult(AdmitNow(request));

    public Task Complete(RequestCompletion completion)
    {
        _inFlight.Remove(completion.RequestId);
        return Task.CompletedTask;
    }

    private Admission AdmitNow(AdmissionRequest request)
    {
        if (state.State is not { Info: { RevokedAt: null } info, SecretSha256: { } hash }
            || !ApiKeySecrets.HashesEqual(hash, request.PresentedSecretSha256))
        {
            return Admission.Refuse(AdmissionOutcome.InvalidKey, "Invalid API key.");
        }

        if (request.Operation == RequestOperation.ListModels)
        {
            return new Admission(AdmissionOutcome.Admitted, null, null, null, info.Binding.AllowedModels);
        }

        try
        {
            var body = RequestJson.ParseObject(request.Body ?? []);
            var model = ReadModel(body);
            if (!info.Binding.AllowedModels.Contains(model, StringComparer.Ordinal))
            {
                return Admission.Refuse(AdmissionOutcome.ModelNotAllowed, "This key is not allowed to use the requested model.", "model");
            }

            if (providers.Candidates(model, info.Binding.Classification).FirstOrDefault() is not { } route)
            {
                return Admission.Refuse(AdmissionOutcome.NoRoute, "No provider that this key may use serves the requested model.", "model");
            }

            var stream = false;
            var upstreamBody = request.Operation == RequestOperation.Embeddings
                ? EmbeddingsBindingEnforcer.Apply(body, model)
                : ChatBindingEnforcer.Apply(body, info.Binding, model, out stream);
            _inFlight.Add(request.RequestId);
            var call = new ProviderCall(request.RequestId, info.Id, info.Binding.TeamId, route.Name, model, request.Operation, stream, upstreamBody);
            return new Admission(AdmissionOutcome.Admitted, null, null, call, null);
        }
        catch (InvalidRequestException e)
        {
            return Admission.Refuse(AdmissionOutcome.InvalidRequest, e.Message, e.Param);
        }
    }

    private static string ReadModel(JsonObject body) =>
        body["model"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } model
            ? model
            : throw new InvalidRequestException("'model' is required and must be a non-empty string.", "model");

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Key {KeyId} revoked")]
        public static partial void KeyRevoked(ILogger logger, string keyId);
    }
}
