namespace Synapse.Tests.Infrastructure;

/// <summary>One all-in-one gateway and one mock upstream, shared by a test collection.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string OnPremModel = "llama3";
    public const string OnPremModel2 = "mistral";
    public const string CloudModel = "gpt-4o";
    public const string EmbeddingModel = "nomic-embed";
    public const string SlowModel = "slow-model";
    public const string FailingModel = "failing-model";
    public const string BrokenStreamModel = "broken-stream-model";

    public MockOpenAiUpstream Upstream { get; private set; } = null!;

    public MockOpenAiUpstream Cloud { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await MockOpenAiUpstream.StartAsync();
        Cloud = await MockOpenAiUpstream.StartAsync();
        Upstream.DelayByModel[SlowModel] = TimeSpan.FromSeconds(5);
        Upstream.FailureByModel[FailingModel] = 500;
        Upstream.BreakStreamByModel[BrokenStreamModel] = true;
        var settings = GatewayHost.Provider("local", Upstream.BaseUrl, "on-prem", OnPremModel, OnPremModel2, EmbeddingModel, SlowModel);

        // The failing models sit behind a provider of their own, so that their failures open
        // only that provider's circuit breaker and never the one the other tests use.
        foreach (var (key, value) in GatewayHost.Provider("flaky", Upstream.BaseUrl, "on-prem", FailingModel, BrokenStreamModel)
            .Concat(GatewayHost.Provider("cloud", Cloud.BaseUrl, "cloud", CloudModel)))
        {
            settings[key] = value;
        }

        // Circuit breaking is tested on gateways of its own (RoutingTests); here it would make
        // the outcome of one test depend on which failing tests ran before it.
        settings["Synapse:Resilience:CircuitMinimumThroughput"] = "100000";
        settings["Synapse:Resilience:MaxRetries"] = "0";

        // Every test comes from 127.0.0.1: the throttle of failed authentications (tested on
        // gateways of its own) would otherwise let one test's bad keys decide another's answer.
        settings["Synapse:KeyAuthentication:FailureLimit"] = "100000";
        Gateway = await GatewayHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
        await Cloud.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
