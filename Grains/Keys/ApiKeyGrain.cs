using Microsoft.Extensions.Logging;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Dlp;
using Synapse.Grains.Interfaces.Alerts;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;
using Synapse.RateLimiting;

using Synapse.Keys;

namespace Synapse.Grains.Keys;

/// <summary>
/// One key: its binding and its live request state. Each turn is short and does no I/O on the
/// request path: admission (<see cref="KeyAdmission"/>) checks the secret, the allowlist, DLP,
/// the route and the limits and hands back the bound provider call; the call itself runs in
/// <see cref="Providers.ProviderSendGrain"/> or <see cref="Providers.ProviderStreamGrain"/>.
/// </summary>
[GrainType("synapse.api-key")]
internal sealed partial class ApiKeyGrain(
    [PersistentState("key", StorageNames.Synapse)] IPersistentState<ApiKeyState> state,
    KeyAdmission decider,
    DlpScannerCache scanners,
    IAuditStore auditStore,
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

    /// <summary>
    /// Rebuilds the key's rate window from the audit log, so that moving the activation (a silo
    /// crash, a deactivation) never hands the key a fresh minute: every forwarded request has a
    /// durable <c>request</c> event written before the provider saw it.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is not { RevokedAt: null } info)
        {
            return;
        }

        _limiter = new KeyRateLimiter(info.Binding.Limits, timeProvider);
        var since = timeProvider.GetUtcNow() - TimeSpan.FromMinutes(1);
        var recent = await auditStore.QueryAsync(new AuditQuery(KeyId: info.Id, Outcome: AuditOutcomes.Allowed, From: since, Limit: Math.Min(info.Binding.Limits.RequestsPerMinute, 100_000)), cancellationToken);
        _limiter.Seed(recent.Where(r => r.Record.Kind == AuditEventKind.Request && r.Record.Model is not null).Select(r => (r.Record.Time, r.Record.PromptTokens ?? 0)));
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

    public async Task<Admission> Admit(AdmissionRequest request)
    {
        var now = timeProvider.GetUtcNow();
        if (state.State is not { Info: { RevokedAt: null } info, SecretSha256: { } hash }
            || !ApiKeySecrets.HashesEqual(hash, request.PresentedSecretSha256))
        {
            var refused = Admission.Refuse(AdmissionOutcome.InvalidKey, "Invalid API key.");
            return refused with { Audit = AdmissionAudit.Rejection(request.RequestId, state.State.Info, AuditOutcomes.InvalidKey, 401, null, null, now) };
        }

        _limiter ??= new KeyRateLimiter(info.Binding.Limits, timeProvider);
        if (request.Operation == RequestOperation.ListModels)
        {
            var listing = new Admission(AdmissionOutcome.Admitted, null, null, null, info.Binding.AllowedModels, _limiter.Snapshot());
            return listing with { Audit = AdmissionAudit.Rejection(request.RequestId, info, AuditOutcomes.Allowed, 200, null, null, now) with { Kind = AuditEventKind.Request } };
        }

        var scanner = await scanners.GetAsync(info.Binding.Dlp);
        var (admission, context) = decider.Decide(info, request, scanner, _limiter);
        if (admission.Outcome != AdmissionOutcome.Admitted)
        {
            var (outcome, status) = AdmissionAudit.Of(admission.Outcome);
            var record = AdmissionAudit.Rejection(request.RequestId, info, outcome, status, context.Model, null, now) with { Detail = context.Detail };
            admission = admission with { Audit = AdmissionAudit.WithDlp(record, context.Dlp) };
        }

        Signal(info, request.RequestId, now, admission, context);
        return admission;
    }

    public Task Complete(RequestCompletion completion)
    {
        var tokens = completion.PromptTokens + completion.CompletionTokens;
        _limiter?.Complete(completion.RequestId, tokens);
        if (state.State.Info is { } info)
        {
            var settled = new ActivitySignal(completion.RequestId, info.Id, info.Binding.TeamId, timeProvider.GetUtcNow(), ActivityKind.TokensSettled) { Tokens = tokens };
            _ = GrainFactory.GetGrain<IKeyActivityGrain>(info.Id).Record(settled);
        }

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

    /// <summary>
    /// Tells the key's anomaly detection what happened: one-way, so the request never waits for it.
    /// </summary>
    private void Signal(KeyInfo info, string requestId, DateTimeOffset now, Admission admission, KeyAdmission.Context context)
    {
        var activity = GrainFactory.GetGrain<IKeyActivityGrain>(info.Id);
        if (admission.Call?.RequestAudit is { } admitted)
        {
            _ = activity.Record(new ActivitySignal(requestId, info.Id, info.Binding.TeamId, now, ActivityKind.Request) { Tokens = admitted.PromptTokens ?? 0 });
        }

        if (context.Dlp.IsBlocked)
        {
            _ = activity.Record(new ActivitySignal(requestId, info.Id, info.Binding.TeamId, now, ActivityKind.DlpBlock) { Categories = context.Dlp.BlockedCategories });
        }

        if (context.Dlp.AlertedCategories.Count > 0)
        {
            _ = activity.Record(new ActivitySignal(requestId, info.Id, info.Binding.TeamId, now, ActivityKind.DlpAlert) { Categories = context.Dlp.AlertedCategories });
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Key {KeyId} revoked")]
        public static partial void KeyRevoked(ILogger logger, string keyId);

        [LoggerMessage(2, LogLevel.Information, "Key {KeyId} limits changed")]
        public static partial void LimitsChanged(ILogger logger, string keyId);
    }
}
