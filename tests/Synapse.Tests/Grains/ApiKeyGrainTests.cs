using System.Text;
using System.Text.Json.Nodes;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Grains.Interfaces.Teams;
using Synapse.Grains.Keys;
using Synapse.Keys;

namespace Synapse.Tests.Grains;

[Collection(KeyGrainCollection.Name)]
public sealed class ApiKeyGrainTests(KeyGrainClusterFixture fixture)
{
    [Fact]
    public async Task Create_ValidBinding_IssuesAKeyResolvableOnlyByItsSecret()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.Sensitive, "llama3");

        var resolved = await fixture.Grains.GetGrain<IKeyLookupGrain>(ApiKeySecrets.Hash(secret)).Resolve();
        var ids = await fixture.Grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).ListIds();

        Assert.Equal(info.Id, resolved);
        Assert.Contains(info.Id, ids);
        Assert.Null(await fixture.Grains.GetGrain<IKeyLookupGrain>(ApiKeySecrets.Hash(secret + "x")).Resolve());
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
    public async Task Admit_WrongSecretHash_IsAnInvalidKey()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");

        var admission = await fixture.Grains.GetGrain<IApiKeyGrain>(info.Id).Admit(Chat(ApiKeySecrets.Hash(secret + "tampered"), "llama3"));

        Assert.Equal(AdmissionOutcome.InvalidKey, admission.Outcome);
        Assert.Null(admission.Call);
    }

    [Fact]
    public async Task Admit_SensitiveKey_IsRoutedOnPremEvenWhenACloudProviderServesTheModel()
    {
        var (sensitive, sensitiveSecret) = await CreateKeyAsync(DataClassification.Sensitive, "shared");
        var (open, openSecret) = await CreateKeyAsync(DataClassification.NonSensitive, "gpt-4o");

        var onPrem = await fixture.Grains.GetGrain<IApiKeyGrain>(sensitive.Id).Admit(Chat(ApiKeySecrets.Hash(sensitiveSecret), "shared"));
        var cloud = await fixture.Grains.GetGrain<IApiKeyGrain>(open.Id).Admit(Chat(ApiKeySecrets.Hash(openSecret), "gpt-4o"));

        Assert.Equal("local", onPrem.Call!.Provider);
        Assert.Equal("cloud", cloud.Call!.Provider);
    }

    [Fact]
    public async Task Admit_BindsTheSystemPromptAndFixesTheModel()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");

        var admission = await fixture.Grains.GetGrain<IApiKeyGrain>(info.Id).Admit(Chat(ApiKeySecrets.Hash(secret), "llama3", extraSystem: true));

        var body = JsonNode.Parse(admission.Call!.Body)!;
        Assert.Equal("bound prompt", body["messages"]![0]!["content"]!.GetValue<string>());

        // Issue 16: the client's system message is demoted to labelled user text, never dropped silently.
        Assert.Equal(3, body["messages"]!.AsArray().Count);
        Assert.Equal(["system", "user", "user"], body["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()).ToArray());
        Assert.EndsWith("client prompt", body["messages"]![1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("llama3", body["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revoke_RefusesLaterAdmissions_AndSurvivesReactivation()
    {
        var (info, secret) = await CreateKeyAsync(DataClassification.NonSensitive, "llama3");
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);

        var revoked = await grain.Revoke();

        Assert.NotNull(revoked!.RevokedAt);
        Assert.Equal(AdmissionOutcome.InvalidKey, (await grain.Admit(Chat(ApiKeySecrets.Hash(secret), "llama3"))).Outcome);
    }

    [Fact]
    public async Task Create_RefusesASensitiveKeyForACloudOnlyModel()
    {
        var team = await fixture.Grains.GetGrain<ITeamRegistryGrain>(ITeamRegistryGrain.SingletonKey).Create("t-" + Guid.NewGuid().ToString("N"));

        var result = await fixture.Grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).Create(Binding(team!.Id, DataClassification.Sensitive, "gpt-4o"));

        Assert.Null(result.Key);
        Assert.Contains("allowedModels", result.Errors!.Keys);
    }

    private async Task<(KeyInfo Info, string Secret)> CreateKeyAsync(DataClassification classification, string model)
    {
        var team = await fixture.Grains.GetGrain<ITeamRegistryGrain>(ITeamRegistryGrain.SingletonKey).Create("t-" + Guid.NewGuid().ToString("N"));
        var result = await fixture.Grains.GetGrain<IKeyRegistryGrain>(IKeyRegistryGrain.SingletonKey).Create(Binding(team!.Id, classification, model));
        return (result.Key!, result.Secret!);
    }

    private static KeyBinding Binding(string teamId, DataClassification classification, string model) =>
        new(teamId, "test", "bound prompt", [model], classification, new KeyLimits(10, 1000, 2));

    private static AdmissionRequest Chat(string secretHash, string model, bool extraSystem = false)
    {
        var messages = new JsonArray();
        if (extraSystem)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = "client prompt" });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = "hi" });
        var body = new JsonObject { ["model"] = model, ["messages"] = messages };
        return new AdmissionRequest("req_" + Guid.NewGuid().ToString("N"), secretHash, RequestOperation.ChatCompletions, Encoding.UTF8.GetBytes(body.ToJsonString()));
    }
}
