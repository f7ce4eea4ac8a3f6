using System.Text;
using System.Text.Json.Nodes;
using Synapse.Grains.Interfaces.Alerts;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Grains.Interfaces.Teams;
using Synapse.Grains.Keys;
using Synapse.Keys;

using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Grains;

[Trait("Category", "Slow")]
[Collection(KeyGrainCollection.Name)]
public sealed class ApiKeyGrainTests(KeyGrainClusterFixture fixture)
{
    [Fact]
    public async Task Create_ValidBinding_IssuesAKeyResolvableOnlyByItsSecret()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.Sensitive, "llama3");

        var hash = ApiKeySecrets.Hash(secret);
        var resolved = await fixture.Grains.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(hash)).Resolve(hash);
        var ids = await fixture.Grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).ListIds();

        Assert.Equal(info.Id, resolved);
        Assert.Contains(info.Id, ids);
        var other = ApiKeySecrets.Hash(secret + "x");
        Assert.Null(await fixture.Grains.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(other)).Resolve(other));
    }

    [Fact]
    public async Task ResolvingThousandsOfGuessedSecrets_ActivatesNoGrainPerGuess()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);

        for (var i = 0; i < 2_000; i++)
        {
            var guess = ApiKeySecrets.Hash(ApiKeySecrets.Generate());
            Assert.Null(await fixture.Grains.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(guess)).Resolve(guess));
        }

        var hash = ApiKeySecrets.Hash(secret);
        Assert.Equal(info.Id, await fixture.Grains.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(hash)).Resolve(hash));
        var lookups = (await management.GetSimpleGrainStatistics()).Where(s => s.GrainType.Contains("KeyLookupGrain", StringComparison.Ordinal) || s.GrainType.Contains("key-lookup", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        Assert.InRange(lookups, 1, KeyLookupShards.Count);
    }

    [Fact]
    public async Task Bind_InTheWrongShard_IsRefused()
    {
        var hash = ApiKeySecrets.Hash(ApiKeySecrets.Generate());
        var wrongShard = KeyLookupShards.Of(hash) == "0" ? "1" : "0";

        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<IKeyLookupGrain>(wrongShard).Bind(hash, "key_x"));
    }

    [Fact]
    public async Task Initialize_Twice_IsRefused_TheBindingIsImmutable()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);

        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Initialize(info with { Binding = info.Binding with { AllowedModels = ["gpt-4o"] } }, ApiKeySecrets.Hash(secret)));
        Assert.Equal(["llama3"], (await grain.GetInfo())!.Binding.AllowedModels);
    }

    [Fact]
    public async Task Send_WrongSecretHash_IsAnInvalidKey_AndIsAudited()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var request = Chat(ApiKeySecrets.Hash(secret + "tampered"), "llama3");

        var reply = await fixture.Grains.GetGrain<IApiKeyGrain>(info.Id).SendOnce(request);

        Assert.Equal(AdmissionOutcome.InvalidKey, reply.Verdict!.Outcome);
        Assert.Null(reply.Body);
        var rejection = Assert.Single(fixture.Audit.For(request.RequestId));
        Assert.Equal((AuditEventKind.Rejection, AuditOutcomes.InvalidKey, 401), (rejection.Kind, rejection.Outcome, rejection.HttpStatus));
        Assert.Empty(fixture.Upstream.RequestsFor(request.RequestId));
    }

    [Fact]
    public async Task Send_SensitiveKey_IsRoutedOnPremEvenWhenACloudProviderServesTheModel()
    {
        var (sensitive, sensitiveSecret) = await CreateKeyAsync(DataClassification.Sensitive, "shared");
        var (open, openSecret) = await CreateKeyAsync(DataClassification.NonSensitive, "gpt-4o");
        var onPrem = Chat(ApiKeySecrets.Hash(sensitiveSecret), "shared");
        var cloud = Chat(ApiKeySecrets.Hash(openSecret), "gpt-4o");

        Assert.NotNull((await fixture.Grains.GetGrain<IApiKeyGrain>(sensitive.Id).SendOnce(onPrem)).Body);
        Assert.NotNull((await fixture.Grains.GetGrain<IApiKeyGrain>(open.Id).SendOnce(cloud)).Body);

        Assert.Equal("local", RequestEvent(onPrem).Provider);
        Assert.Equal(ProviderLocation.OnPrem, RequestEvent(onPrem).ProviderLocation);
        Assert.Equal("cloud", RequestEvent(cloud).Provider);
    }

    [Fact]
    public async Task Send_BindsTheSystemPromptAndFixesTheModel()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var request = Chat(ApiKeySecrets.Hash(secret), "llama3", extraSystem: true);

        var reply = await fixture.Grains.GetGrain<IApiKeyGrain>(info.Id).SendOnce(request);

        Assert.Equal(AdmissionOutcome.Admitted, reply.Verdict!.Outcome);
        var body = Assert.Single(fixture.Upstream.RequestsFor(request.RequestId)).Json;
        Assert.Equal("bound prompt", body["messages"]![0]!["content"]!.GetValue<string>());

        // Issue 16: the client's system message is demoted to labelled user text, never dropped silently.
        Assert.Equal(3, body["messages"]!.AsArray().Count);
        Assert.Equal(["system", "user", "user"], body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()).ToArray());
        Assert.EndsWith("client prompt", body["messages"]![1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("llama3", body["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_RecordsTheRequestBeforeTheProviderAndTheCompletionAfter()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var request = Chat(ApiKeySecrets.Hash(secret), "llama3") with { ClientAddress = "203.0.113.7", UserAgent = "test-agent/1.0" };

        await fixture.Grains.GetGrain<IApiKeyGrain>(info.Id).SendOnce(request);

        var events = await Eventually.ValueAsync(() => fixture.Audit.For(request.RequestId), e => e.Count == 2);
        Assert.Equal([AuditEventKind.Request, AuditEventKind.Completion], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(("chat.completions", "203.0.113.7", "test-agent/1.0"), (e.Api, e.ClientAddress, e.UserAgent)));
        Assert.Equal(AuditOutcomes.Completed, events[1].Outcome);
        Assert.True(events[1].CompletionTokens > 0);
    }

    [Fact]
    public async Task Send_ActivitySignalsReachTheKeysActivityGrainInBatches_NoneLost()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);
        var requests = Enumerable.Range(0, 12).Select(_ => Chat(ApiKeySecrets.Hash(secret), "llama3")).ToList();

        foreach (var request in requests)
        {
            await grain.SendOnce(request);
        }

        // Each request signals twice: at admission and at settlement.
        var calls = await Eventually.ValueAsync(() => fixture.ActivitySignals.To(info.Id), c => c.Sum(s => s.Length) >= 2 * requests.Count);
        var signals = calls.SelectMany(c => c).ToList();
        Assert.Equal(requests.Select(r => r.RequestId).Order(), signals.Where(s => s.Kind == ActivityKind.Request).Select(s => s.RequestId).Order());
        Assert.Equal(requests.Select(r => r.RequestId).Order(), signals.Where(s => s.Kind == ActivityKind.TokensSettled).Select(s => s.RequestId).Order());
        Assert.All(signals, s => Assert.Equal((info.Id, info.Binding.TeamId), (s.KeyId, s.TeamId)));
        Assert.True(calls.Count < requests.Count, $"{calls.Count} calls carried {signals.Count} signals of {requests.Count} requests: not batched");
    }

    [Fact]
    public async Task Revoke_RefusesLaterRequests_AndSurvivesReactivation()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);

        var revoked = await grain.Revoke();

        Assert.NotNull(revoked!.RevokedAt);
        Assert.Equal(AdmissionOutcome.InvalidKey, (await grain.SendOnce(Chat(ApiKeySecrets.Hash(secret), "llama3"))).Verdict!.Outcome);
    }

    [Fact]
    public async Task Send_ASlowCallDoesNotHoldTheKey_OtherRequestsOfTheSameKeyAreAnswered()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "slow", "llama3");
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);
        fixture.Upstream.DelayByModel["slow"] = TimeSpan.FromSeconds(30);
        var slowRequest = Chat(ApiKeySecrets.Hash(secret), "slow");
        var slow = grain.SendOnce(slowRequest);
        await Eventually.ValueAsync(() => fixture.Upstream.RequestsFor(slowRequest.RequestId).Count(), n => n == 1);

        var fast = await grain.SendOnce(Chat(ApiKeySecrets.Hash(secret), "llama3"));

        Assert.NotNull(fast.Body);
        Assert.False(slow.IsCompleted);
    }

    [Fact]
    public async Task Send_Resent_WhileItsFirstAttemptRuns_JoinsIt_TheProviderSeesItOnce()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "slow", "llama3");
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);
        fixture.Upstream.DelayByModel["slow"] = TimeSpan.FromSeconds(2);
        var request = Chat(ApiKeySecrets.Hash(secret), "slow");
        var first = grain.SendOnce(request);
        await Eventually.ValueAsync(() => fixture.Upstream.RequestsFor(request.RequestId).Count(), n => n == 1);

        var resent = await grain.SendOnce(request with { Resent = true });

        Assert.NotNull(resent.Body);
        Assert.Equal(resent.Body, (await first).Body);
        Assert.Single(fixture.Upstream.RequestsFor(request.RequestId));
        var events = await Eventually.ValueAsync(() => fixture.Audit.For(request.RequestId), e => e.Count == 2);
        Assert.Equal([AuditEventKind.Request, AuditEventKind.Completion], events.Select(e => e.Kind));
        // Joined, not run again: neither event says "resent" (a completion's detail has its gatewayMs).
        Assert.All(events, e => Assert.Null(e.Detail is null ? null : JsonNode.Parse(e.Detail)!["resent"]));
    }

    [Fact]
    public async Task Send_Resent_AfterItsFirstAttemptWasLost_RunsAgain_AndItsEventsSaySo()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var request = Chat(ApiKeySecrets.Hash(secret), "llama3") with { Resent = true };

        var reply = await fixture.Grains.GetGrain<IApiKeyGrain>(info.Id).SendOnce(request);

        Assert.NotNull(reply.Body);
        Assert.Single(fixture.Upstream.RequestsFor(request.RequestId));
        var events = await Eventually.ValueAsync(() => fixture.Audit.For(request.RequestId), e => e.Count == 2);
        Assert.Equal([AuditEventKind.Request, AuditEventKind.Completion], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.True(JsonNode.Parse(e.Detail!)!["resent"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Send_AHostileFourMegabyteBody_IsReadWithoutFreezingItsKey()
    {
        // One run of a single letter: byte-pair encoding is quadratic on it, which once kept the
        // key's turn busy for minutes. Both requests must now be answered well within the deadline.
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3", tokensPerMinute: 10_000_000);
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);
        var hostile = Chat(ApiKeySecrets.Hash(secret), "llama3", userText: new string('a', 4 * 1024 * 1024));

        var big = grain.SendOnce(hostile);
        var small = grain.SendOnce(Chat(ApiKeySecrets.Hash(secret), "llama3"));

        var replies = await Task.WhenAll(big, small).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(AdmissionOutcome.Admitted, replies[1].Verdict!.Outcome);

        // On a starved machine the DLP scan's wall-clock budget can refuse the big one (it fails
        // closed); when it is admitted, its estimate must have counted the whole run.
        var bigOutcome = replies[0].Verdict!.Outcome;
        Assert.True(bigOutcome is AdmissionOutcome.Admitted or AdmissionOutcome.DlpFailed, bigOutcome.ToString());
        if (bigOutcome == AdmissionOutcome.Admitted)
        {
            Assert.True(RequestEvent(hostile).PromptTokens > 4 * 1024 * 1024 / 8);
        }
    }

    [Theory]
    [InlineData("n", 9, "n")]
    [InlineData("max_tokens", 40_000, "max_tokens")]
    [InlineData("max_completion_tokens", 40_000, "max_completion_tokens")]
    [InlineData("n", 0, "n")]
    public async Task Send_OutputOverTheKeysCaps_IsRefusedNamingTheField(string field, int value, string param)
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3", tokensPerMinute: 10_000_000);
        var request = Chat(ApiKeySecrets.Hash(secret), "llama3", extra: (field, value));

        var reply = await fixture.Grains.GetGrain<IApiKeyGrain>(info.Id).SendOnce(request);

        Assert.Equal((AdmissionOutcome.InvalidRequest, param), (reply.Verdict!.Outcome, reply.Verdict.Param));
        Assert.Empty(fixture.Upstream.RequestsFor(request.RequestId));
    }

    [Fact]
    public async Task Send_ReservesEveryChoicesMaximumOutput_AgainstTheTokenLimit()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3", tokensPerMinute: 1_000);
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);

        var tooMuch = await grain.SendOnce(Chat(ApiKeySecrets.Hash(secret), "llama3", extra: ("max_tokens", 400), n: 3));
        var fits = await grain.SendOnce(Chat(ApiKeySecrets.Hash(secret), "llama3", extra: ("max_tokens", 400), n: 2));

        Assert.Equal(AdmissionOutcome.RateLimited, tooMuch.Verdict!.Outcome);
        Assert.Equal(AdmissionOutcome.Admitted, fits.Verdict!.Outcome);
    }

    [Fact]
    public async Task Stream_FirstEventCarriesTheVerdict_ARefusalIsThatEventAlone()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);

        var admitted = await grain.Stream(Chat(ApiKeySecrets.Hash(secret), "llama3", stream: true)).Where(e => !e.IsKeepAlive).ToListAsync();
        var refused = await grain.Stream(Chat(ApiKeySecrets.Hash(secret), "gpt-4o", stream: true)).Where(e => !e.IsKeepAlive).ToListAsync();

        Assert.Equal(AdmissionOutcome.Admitted, admitted[0].Verdict!.Outcome);
        Assert.NotNull(admitted[0].Data);
        Assert.True(admitted.Count > 2);
        Assert.All(admitted.Skip(1), e => Assert.Null(e.Verdict));
        var only = Assert.Single(refused);
        Assert.Equal(AdmissionOutcome.ModelNotAllowed, only.Verdict!.Outcome);
    }

    [Fact]
    public async Task Create_RefusesASensitiveKeyForACloudOnlyModel()
    {
        var team = await fixture.Grains.GetGrain<ITeamRegistryGrain>(ITeamRegistryGrain.SingletonKey).Create("t-" + Guid.NewGuid().ToString("N"));

        var result = await fixture.Grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).Create(Binding(team!.Id, DataClassification.Sensitive, "gpt-4o"));

        Assert.Null(result.Key);
        Assert.Contains("allowedModels", result.Errors!.Keys);
    }

    private AuditRecord RequestEvent(AdmissionRequest request) =>
        Assert.Single(fixture.Audit.For(request.RequestId), e => e.Kind == AuditEventKind.Request);

    private async Task<(KeyInfo Info, string Secret)> CreateKeyAsync(DataClassification classification, string model, string? otherModel = null, int tokensPerMinute = 100_000)
    {
        var team = await fixture.Grains.GetGrain<ITeamRegistryGrain>(ITeamRegistryGrain.SingletonKey).Create("t-" + Guid.NewGuid().ToString("N"));
        var binding = Binding(team!.Id, classification, model) with { Limits = new KeyLimits(100, tokensPerMinute, 2) };
        if (otherModel is not null)
        {
            binding = binding with { AllowedModels = [model, otherModel] };
        }

        var result = await fixture.Grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).Create(binding);
        return (result.Key!, result.Secret!);
    }

    private static KeyBinding Binding(string teamId, DataClassification classification, string model) =>
        new(teamId, "test", "bound prompt", [model], classification, new KeyLimits(10, 1000, 2));

    /// <summary>A chat request whose id is also in its text, so the mock's copy can be found.</summary>
    private static AdmissionRequest Chat(string secretHash, string model, bool extraSystem = false, string? userText = null, (string Name, int Value)? extra = null, int? n = null, bool stream = false)
    {
        var requestId = "req_" + Guid.NewGuid().ToString("N");
        var messages = new JsonArray();
        if (extraSystem)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = "client prompt" });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = requestId });
        if (userText is not null)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = userText });
        }

        var body = new JsonObject { ["model"] = model, ["messages"] = messages };
        if (extra is { } field)
        {
            body[field.Name] = field.Value;
        }

        if (n is { } choices)
        {
            body["n"] = choices;
        }

        if (stream)
        {
            body["stream"] = true;
        }

        return new AdmissionRequest(requestId, secretHash, RequestOperation.ChatCompletions, Encoding.UTF8.GetBytes(body.ToJsonString()));
    }
}
