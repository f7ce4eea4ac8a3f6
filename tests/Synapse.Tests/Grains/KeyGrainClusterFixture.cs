using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using System.Security.Cryptography;
using Synapse.Grains;
using Synapse.Alerts;
using Synapse.Grains.Alerts;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Grains;

/// <summary>
/// An in-process Orleans cluster with the real grains, memory storage, a recording audit log and
/// a fixed provider catalog whose on-prem and cloud providers are one mock upstream under two
/// names (which one served a request is on its audit events).
/// </summary>
public sealed class KeyGrainClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public MockOpenAiUpstream Upstream { get; private set; } = null!;

    public RecordingAuditLog Audit { get; } = new();

    public ActivitySignalCalls ActivitySignals { get; } = new();

    public async Task InitializeAsync()
    {
        Upstream = await MockOpenAiUpstream.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Synapse:Providers:local:BaseUrl"] = Upstream.BaseUrl.ToString(),
            ["Synapse:Providers:local:Location"] = "on-prem",
            ["Synapse:Providers:local:Models:0"] = "llama3",
            ["Synapse:Providers:local:Models:1"] = "shared",
            ["Synapse:Providers:local:Models:2"] = "slow",
            ["Synapse:Providers:cloud:BaseUrl"] = Upstream.BaseUrl.ToString(),
            ["Synapse:Providers:cloud:Location"] = "cloud",
            ["Synapse:Providers:cloud:Models:0"] = "gpt-4o",
            ["Synapse:Providers:cloud:Models:1"] = "shared",
        }).Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Synapse);
            silo.Services.AddSingleton<IAuditLog>(Audit);
            silo.Services.AddSingleton(new AuditOptions());
            silo.Services.AddSynapseGrainServices(configuration);
            silo.Services.AddSingleton(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)));
            silo.Services.AddSingleton<AuditDigester>();
            silo.Services.AddSingleton<IAuditStore, Audit.MemoryAuditStore>();
            silo.Services.AddSynapseAlertDetection(configuration);
            silo.AddIncomingGrainCallFilter(ActivitySignals);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class KeyGrainCollection : ICollectionFixture<KeyGrainClusterFixture>
{
    public const string Name = "key-grains";
}
