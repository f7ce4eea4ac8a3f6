using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Synapse.Alerts;
using Synapse.Audit;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Alerts;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Keys;
using Synapse.Providers;
using Synapse.RateLimiting;
using Synapse.Requests;
using Synapse.Telemetry;

namespace Synapse.Grains.Keys;

/// <summary>
/// One key: its binding, its limits, and every request made with it, from admission to
/// settlement. Requests interleave (<see cref="IApiKeyGrain.Send"/> and
/// <see cref="IApiKeyGrain.Stream"/> are <c>AlwaysInterleave</c>), and the grain's own turns are
/// kept short: reading, binding and scanning a request (<see cref="RequestPreparer"/>) and the
/// provider call (<see cref="ProviderCallRunner"/>) run on the thread pool, outside the turn; only
/// the limit check and the settlement, which must not interleave, run in it, without awaiting.
/// </summary>
[GrainType("synapse.api-key")]
internal sealed partial class ApiKeyGrain(
    [PersistentState("key", StorageNames.Synapse)] IPersistentState<ApiKeyState> state,
    RequestPreparer preparer,
    ProviderCallRunner runner,
    RequestAuditEvents events,
    RequestAuditWriter audit,
    DlpScannerCache scanners,
    IAuditStore auditStore,
    RequestsInFlight inFlight,
    RequestHeartbeat heartbeat,
    AlertOptions alerts,
    TimeProvider timeProvider,
    ILogger<ApiKeyGrain> logger) : Grain, IApiKeyGrain
{
    /// <summary>Streamed events a slow client may leave unread before the provider call waits for it.</summary>
    private const int StreamBuffer = 64;

    private static readonly ProviderFailure AuditUnavailable =
        new(AuditFailures.Unavailable, "The audit log is unavailable, so the gateway is not serving requests; retry shortly.");

    /// <summary>The non-streamed requests running here, which a resent request joins.</summary>
    private readonly RunningSends<ProviderReply> _sends = new();

    private KeyRateLimiter? _limiter;
    private int? _systemPromptTokens;
    private ActivitySignalBatch? _signals;

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
    /// crash, a deactivation, a restart) never hands the key a fresh minute: every forwarded request
    /// has a durable <c>request</c> event written before the provider saw it, and every request
    /// counted without being forwarded (a refusal, a token count) its row (<see cref="RateWindowEvents"/>).
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Info is not { RevokedAt: null } info)
        {
            return;
        }

        _limiter = new KeyRateLimiter(info.Binding.Limits, timeProvider);
        var since = timeProvider.GetUtcNow() - TimeSpan.FromMinutes(1);
        var counted = await auditStore.RateWindowAsync(info.Id, since, cancellationToken);
        _limiter.Seed(counted.Select(r => (r.Record.Time, RateWindowEvents.IsForwarded(r.Record) ? r.Record.PromptTokens ?? 0 : 0)));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _signals?.Flush();
        return Task.CompletedTask;
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

    public async Task<KeyInfo?> UpdateLimits(KeyLimits limits)
    {
        if (state.State.Info is not { } info || info.EndOf(timeProvider.GetUtcNow()) is not null)
        {
            return state.State.Info;
        }

        state.State.Info = info with { Binding = info.Binding with { Limits = limits } };
        await state.WriteStateAsync();
        _limiter?.UpdateLimits(limits);
        Log.LimitsChanged(logger, info.Id);
        return state.State.Info;
    }

    /// <summary>
    /// In the key's turn (this grain takes one call at a time besides requests), so two rotations
    /// never interleave: the second sees the first's secret, not the one it expected, and is refused.
    /// The new hash is bound before the key takes it, so the key never holds a secret the lookup
    /// cannot find; the hash the previous rotation replaced is unbound after, so a crash in between
    /// leaves at worst an entry the key refuses.
    /// </summary>
    public async Task<KeyRotationResult> Rotate(KeySecretRotation rotation)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentOutOfRangeException.ThrowIfLessThan(rotation.Overlap, TimeSpan.Zero);
        var now = timeProvider.GetUtcNow();
        var outcome = state.State.Info switch
        {
            null => KeyRotationOutcome.NotFound,
            { RevokedAt: not null } => KeyRotationOutcome.Revoked,
            var key when key.Binding.ExpiredAt(now) => KeyRotationOutcome.Expired,
            var key when key.Prefix != rotation.ExpectedPrefix => KeyRotationOutcome.RotatedMeanwhile,
            _ => KeyRotationOutcome.Rotated,
        };
        if (outcome != KeyRotationOutcome.Rotated)
        {
            return new KeyRotationResult(outcome, state.State.Info);
        }

        var info = state.State.Info!;
        var dropped = state.State.PreviousSecretSha256;
        await GrainFactory.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(rotation.NewSecretSha256)).Bind(rotation.NewSecretSha256, info.Id);

        state.State.PreviousSecretSha256 = state.State.SecretSha256;
        state.State.SecretSha256 = rotation.NewSecretSha256;
        state.State.Info = info with { Prefix = rotation.NewPrefix, RotatedAt = now, PreviousSecretEndsAt = now + rotation.Overlap };
        await state.WriteStateAsync();
        Log.KeyRotated(logger, info.Id, now + rotation.Overlap);

        if (dropped is not null && dropped != state.State.PreviousSecretSha256)
        {
            await GrainFactory.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(dropped)).Unbind(dropped, info.Id);
        }

        return new KeyRotationResult(KeyRotationOutcome.Rotated, state.State.Info);
    }

    public async IAsyncEnumerable<ProviderReply> Send(AdmissionRequest request)
    {
        var held = inFlight.Begin();
        var (work, joined) = _sends.Run(request.RequestId, request.Resent, () => SendOnceAsync(request));
        if (joined)
        {
            Log.ResentJoined(logger, request.RequestId);
        }

        try
        {
            while (!await heartbeat.FinishesWithinIntervalAsync(work))
            {
                yield return ProviderReply.KeepAlive;
            }
        }
        finally
        {
            // Also reached when the front end gave up waiting: the call still runs to its end,
            // settles and is audited, and the silo's drain waits for it.
            _ = work.ContinueWith(_ => held.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        yield return await work;
    }

    private async Task<ProviderReply> SendOnceAsync(AdmissionRequest request)
    {
        var admitted = await AdmitAsync(request, streamed: false);
        if (admitted.Call is not { } call)
        {
            return admitted.Reply;
        }

        var (reply, outcome) = await Task.Run(() => runner.SendAsync(call, admitted.RequestEvent!, admitted.TakenAt));
        Settle(admitted, call, outcome);
        return reply with { Verdict = admitted.Reply.Verdict! with { DroppedFields = call.DroppedFieldsFor(outcome.ServedBy) } };
    }

    public async IAsyncEnumerable<StreamEvent> Stream(AdmissionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var held = inFlight.Begin();
        var admitting = AdmitAsync(request, streamed: true);
        while (!await heartbeat.FinishesWithinIntervalAsync(admitting))
        {
            yield return StreamEvent.KeepAlive;
        }

        var admitted = await admitting;
        if (admitted.Call is not { } call)
        {
            yield return new StreamEvent(null, admitted.Reply.Failure) { Verdict = admitted.Reply.Verdict };
            yield break;
        }

        // The provider call fills a bounded buffer on the thread pool; this iterator only hands
        // its events on (Orleans sends whatever is ready in one batch), so a long or heavy answer
        // never holds the key's turn, and a slow client slows its own provider call only.
        var buffer = Channel.CreateBounded<StreamEvent>(new BoundedChannelOptions(StreamBuffer) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var verdict = admitted.Reply.Verdict!;
        var running = Task.Run(() => runner.StreamAsync(call, admitted.RequestEvent!, admitted.TakenAt, verdict, buffer.Writer, stop.Token));
        var verdictSent = false;
        try
        {
            while (true)
            {
                var waiting = buffer.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
                while (!await heartbeat.FinishesWithinIntervalAsync(waiting))
                {
                    yield return StreamEvent.KeepAlive;
                }

                if (!await waiting)
                {
                    break;
                }

                while (buffer.Reader.TryRead(out var item))
                {
                    // The runner's first event carries the verdict, as the answering provider has it.
                    verdictSent = true;
                    yield return item;
                }
            }

            if (!verdictSent)
            {
                yield return new StreamEvent(null, null) { Verdict = verdict };
            }
        }
        finally
        {
            // Reached early when the client went away: stop the provider call, then settle.
            await stop.CancelAsync();
            Settle(admitted, call, await running);
        }
    }

    /// <summary>
    /// Everything before the provider call: the secret, the binding and DLP (outside the turn),
    /// then the limits (in it). A refusal is audited before it is returned.
    /// </summary>
    private async Task<Admitted> AdmitAsync(AdmissionRequest request, bool streamed)
    {
        // The start of the gateway-added time the completion records (CallTimings).
        var takenAt = timeProvider.GetTimestamp();
        if (CurrentKey(request) is not { } info)
        {
            return await RefuseInvalidKeyAsync(request);
        }

        if (info.Binding.ExpiredAt(timeProvider.GetUtcNow()))
        {
            return await RefuseExpiredAsync(request, info);
        }

        _limiter ??= new KeyRateLimiter(info.Binding.Limits, timeProvider);
        if (request.Operation is RequestOperation.ListModels or RequestOperation.RetrieveModel)
        {
            return await ListAsync(request, info);
        }

        // A key past its limits is refused before its body is parsed and scanned: no DLP verdict,
        // no CPU spent on it. Those being prepared hold a concurrency slot meanwhile.
        var room = _limiter.TryBeginPreparing();
        if (!room.Admitted)
        {
            // Its model, for the audit row, is read off the turn: it may follow megabytes of messages.
            var model = await Task.Run(() => TopLevelJson.Model(request.Body));
            return await RateLimitedAsync(request, info, room, model: model);
        }

        if (request.Operation == RequestOperation.CountTokens)
        {
            return await CountTokensAsync(request, info);
        }

        PreparedRequest prepared;
        try
        {
            var scanner = await scanners.GetAsync(info.Binding.Dlp);
            _systemPromptTokens ??= await Task.Run(() => PromptTokenEstimator.CountText(info.Binding.SystemPrompt));
            var systemPromptTokens = _systemPromptTokens.Value;
            prepared = await Task.Run(() => preparer.Prepare(info, request, scanner, systemPromptTokens));
        }
        finally
        {
            _limiter.EndPreparing();
        }

        // Back in the turn, and from here on without awaiting until the verdict: the key may have
        // been revoked meanwhile, and the limit check must see every admission before it.
        if (CurrentKey(request) is null)
        {
            return await RefuseInvalidKeyAsync(request);
        }

        if (info.Binding.ExpiredAt(timeProvider.GetUtcNow()))
        {
            return await RefuseExpiredAsync(request, info);
        }

        SignalDlp(info, request.RequestId, prepared.Dlp);
        if (prepared.Call is { } bound && bound.Stream != streamed)
        {
            // The front end picked the method from the body's "stream" field; this cannot disagree
            // unless the body is read differently in the two places.
            prepared = prepared with { Refusal = Admission.Refuse(AdmissionOutcome.InvalidRequest, "'stream' must be true or false.", "stream"), Call = null };
        }

        if (prepared.Refusal is { } refusal)
        {
            // A refused request takes a request of the window like an admitted one.
            return await RefuseAsync(request, info, refusal with { RateLimits = _limiter.CountUnforwarded() }, prepared);
        }

        var decision = _limiter.TryAdmit(request.RequestId, prepared.ReservedTokens);
        if (!decision.Admitted)
        {
            return await RateLimitedAsync(request, info, decision, prepared);
        }

        Signal(info, request.RequestId, ActivityKind.Request, tokens: prepared.PromptTokens);
        var verdict = new Admission(AdmissionOutcome.Admitted, null, null, null, decision.Snapshot) { DroppedFields = prepared.Call?.DroppedFields };
        return new Admitted(new ProviderReply(null, null) { Verdict = verdict }, request, info, prepared.Call, events.Request(request, info, prepared), prepared.PromptTokens, takenAt);
    }

    /// <summary>
    /// The key's binding when the presented secret is one it takes now (its own, or the one its last
    /// rotation replaced, within the overlap) and it is not revoked.
    /// </summary>
    private KeyInfo? CurrentKey(AdmissionRequest request) =>
        state.State.Info is { RevokedAt: null } info && Presented(request) is PresentedSecret.Current or PresentedSecret.Previous
            ? info
            : null;

    private PresentedSecret Presented(AdmissionRequest request) => KeySecretCheck.Of(
        request.PresentedSecretSha256, state.State.SecretSha256, state.State.PreviousSecretSha256, state.State.Info?.PreviousSecretEndsAt, timeProvider.GetUtcNow());

    /// <summary>
    /// A secret this key does not take: answered exactly as an unknown key is, so that whoever holds
    /// a replaced secret learns nothing from the answer. Its audit row says when the secret was one
    /// a rotation replaced, so the operator can find the client that still sends it.
    /// </summary>
    private Task<Admitted> RefuseInvalidKeyAsync(AdmissionRequest request)
    {
        var detail = state.State.Info is { PreviousSecretEndsAt: { } ended } && Presented(request) == PresentedSecret.Retired
            ? new JsonObject { ["rotatedSecret"] = true, ["secretEndedAt"] = ended.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) }.ToJsonString()
            : null;
        return RefuseAsync(request, state.State.Info, Admission.Refuse(AdmissionOutcome.InvalidKey, "Invalid API key."), detail: detail);
    }

    /// <summary>
    /// The key's allowlist, or one model of it. A model off the list is answered as one that does
    /// not exist (the list a key sees is all there is for it), and audited as a model refusal.
    /// </summary>
    private async Task<Admitted> ListAsync(AdmissionRequest request, KeyInfo info)
    {
        var models = info.Binding.AllowedModels;
        if (request.Operation == RequestOperation.RetrieveModel)
        {
            if (request.Model is not { } asked || !models.Contains(asked, StringComparer.Ordinal))
            {
                return await RefuseAsync(request, info, Admission.Refuse(AdmissionOutcome.ModelNotFound, "The model does not exist, or this key may not use it.", "model"));
            }

            models = [asked];
        }

        var listing = new Admission(AdmissionOutcome.Admitted, null, null, models, _limiter!.Snapshot());
        return new Admitted(new ProviderReply(null, await audit.TryRecordAsync(events.Listing(request, info)) ? null : AuditUnavailable) { Verdict = listing });
    }

    /// <summary>
    /// Messages' <c>count_tokens</c>, in the preparation slot <see cref="AdmitAsync"/> took: counted
    /// off the turn (a 4 MiB body costs tens of milliseconds), then a request of the window with no
    /// tokens, audited like a model listing.
    /// </summary>
    private async Task<Admitted> CountTokensAsync(AdmissionRequest request, KeyInfo info)
    {
        var limiter = _limiter!;
        TokenCount count;
        try
        {
            count = await Task.Run(() => TokenCount.Of(info, request));
        }
        finally
        {
            limiter.EndPreparing();
        }

        var limits = limiter.CountUnforwarded();
        if (count.Refusal is { } refusal)
        {
            return await RefuseAsync(request, info, refusal with { RateLimits = limits }, model: count.Model);
        }

        var record = events.Listing(request, info, count.Detail) with { Model = count.Model, PromptTokens = count.Tokens };
        var verdict = new Admission(AdmissionOutcome.Admitted, null, null, null, limits) { DroppedFields = count.Dropped };
        return new Admitted(new ProviderReply(count.Answer(), await audit.TryRecordAsync(record) ? null : AuditUnavailable) { Verdict = verdict });
    }

    private Task<Admitted> RateLimitedAsync(AdmissionRequest request, KeyInfo info, RateDecision decision, PreparedRequest? prepared = null, string? model = null)
    {
        GatewayMetrics.RateLimited(decision.RefusedBy!, info.Binding.TeamId, info.Id);
        var limited = new Admission(AdmissionOutcome.RateLimited, RateLimitMessage(decision.RefusedBy!), null, null, decision.Snapshot, decision.RetryAfter);
        return RefuseAsync(request, info, limited, prepared, model);
    }

    private async Task<Admitted> RefuseAsync(AdmissionRequest request, KeyInfo? info, Admission refusal, PreparedRequest? prepared = null, string? model = null, string? detail = null)
    {
        var (outcome, status) = RequestAuditEvents.Of(refusal.Outcome);
        var record = events.Rejection(request, info, outcome, status, prepared?.Model ?? model ?? request.Model, prepared?.Dlp, prepared?.Detail ?? detail, RefusalCodes.Of(refusal.Outcome), refusal.Param);
        var durable = await audit.TryRecordAsync(record);
        return new Admitted(new ProviderReply(null, durable ? null : AuditUnavailable) { Verdict = refusal });
    }

    /// <summary>
    /// A key whose approval ended: told so (its holder presented the right secret), audited as an
    /// invalid key with the moment it expired, before anything of the request is read, and
    /// signalled for the <c>expired_key_used</c> alert (someone still uses it).
    /// </summary>
    private Task<Admitted> RefuseExpiredAsync(AdmissionRequest request, KeyInfo info)
    {
        Signal(info, request.RequestId, ActivityKind.ExpiredKeyUse);
        var end = info.Binding.ExpiresAt!.Value.ToUniversalTime();
        var when = end.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return RefuseAsync(
            request,
            info,
            Admission.Refuse(AdmissionOutcome.KeyExpired, $"This API key expired at {when}; ask your administrator for a new key."),
            detail: new JsonObject { ["keyExpiredAt"] = when }.ToJsonString());
    }

    /// <summary>
    /// Ends an admitted request: frees its slot, replaces its reservation with the real usage (or
    /// with its prompt alone when the provider reported none), tells anomaly detection, and records
    /// the completion once the answer is on its way.
    /// </summary>
    private void Settle(Admitted admitted, ProviderCall call, CallOutcome outcome)
    {
        var used = outcome.Usage.PromptTokens + outcome.Usage.CompletionTokens;
        _limiter?.Complete(call.RequestId, used > 0 ? used : admitted.PromptTokens);
        var info = admitted.Key!;
        Signal(info, call.RequestId, ActivityKind.TokensSettled, tokens: used);
        SignalDlp(info, call.RequestId, outcome.Dlp);
        _ = RecordCompletionAsync(admitted.Request!, info, call, outcome, inFlight.Begin());
    }

    /// <summary>Off the turn; the request stays held (a draining silo waits for it) until its completion is written.</summary>
    private async Task RecordCompletionAsync(AdmissionRequest request, KeyInfo info, ProviderCall call, CallOutcome outcome, RequestsInFlight.Lease held)
    {
        using (held)
        {
            await Task.Run(() => runner.RecordCompletionAsync(request, info, call, outcome));
        }
    }

    private static string RateLimitMessage(string limit) => limit switch
    {
        KeyRateLimiter.ConcurrencyLimit => "This key has reached its limit of concurrent requests.",
        KeyRateLimiter.TokensLimit => "This key has reached its tokens-per-minute limit.",
        _ => "This key has reached its requests-per-minute limit.",
    };

    /// <summary>DLP blocks and alerts (prompt or answer) count for the key's anomaly detection.</summary>
    private void SignalDlp(KeyInfo info, string requestId, DlpVerdict verdict)
    {
        if (verdict.IsBlocked)
        {
            Signal(info, requestId, ActivityKind.DlpBlock, categories: verdict.BlockedCategories);
        }

        if (verdict.AlertedCategories.Count > 0)
        {
            Signal(info, requestId, ActivityKind.DlpAlert, categories: verdict.AlertedCategories);
        }
    }

    /// <summary>Batched and one-way: a request never waits for anomaly detection; with alerts off nothing is sent.</summary>
    private void Signal(KeyInfo info, string requestId, ActivityKind kind, int tokens = 0, IReadOnlyList<string>? categories = null)
    {
        if (!alerts.Enabled)
        {
            return;
        }

        var signal = new ActivitySignal(requestId, info.Id, info.Binding.TeamId, timeProvider.GetUtcNow(), kind) { Tokens = tokens };
        _signals ??= new ActivitySignalBatch(this, GrainFactory.GetGrain<IKeyActivityGrain>(info.Id), alerts.SignalBatchDelay);
        _signals.Add(categories is null ? signal : signal with { Categories = categories });
    }

    /// <summary>A request past admission: the reply to give (a refusal or listing), or the call to make.</summary>
    private sealed record Admitted(ProviderReply Reply, AdmissionRequest? Request = null, KeyInfo? Key = null, ProviderCall? Call = null, AuditRecord? RequestEvent = null, int PromptTokens = 0, long TakenAt = 0);


    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Key {KeyId} revoked")]
        public static partial void KeyRevoked(ILogger logger, string keyId);

        [LoggerMessage(2, LogLevel.Information, "Key {KeyId} limits changed")]
        public static partial void LimitsChanged(ILogger logger, string keyId);

        [LoggerMessage(3, LogLevel.Information, "Request {RequestId} sent again by its front end joined its running attempt")]
        public static partial void ResentJoined(ILogger logger, string requestId);

        [LoggerMessage(4, LogLevel.Information, "Key {KeyId} rotated; its previous secret is taken until {PreviousSecretEndsAt:O}")]
        public static partial void KeyRotated(ILogger logger, string keyId, DateTimeOffset previousSecretEndsAt);
    }
}
