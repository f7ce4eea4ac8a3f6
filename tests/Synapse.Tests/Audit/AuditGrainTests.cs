using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

/// <summary>The audit grain in a real silo registered with <c>AddSynapseAudit</c> on SQLite (keys generated).</summary>
public sealed class AuditGrainTests
{
    [Fact]
    public async Task Append_IsDurableWhenTheCallReturns_AndTheSiloStopsCleanly()
    {
        var directory = AuditHarness.NewDataDirectory();
        var keyDirectory = directory + "-keys";
        var database = SynapseDatabase.ForSqliteFile(Path.Combine(directory, SynapseDatabase.SqliteFileName));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Synapse:Audit:KeyDirectory"] = keyDirectory }).Build();
        using var host = new HostBuilder()
            .UseOrleans(silo => silo
                .UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: "audit-tests", clusterId: $"audit-{Guid.NewGuid():N}")
                .AddSynapseAudit(configuration, database, directory))
            .Build();
        await host.StartAsync();
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IAuditGrain>(IAuditGrain.DefaultKey);
        var store = host.Services.GetRequiredService<IAuditStore>();
        var digester = host.Services.GetRequiredService<AuditDigester>();

        var request = AuditSamples.Full(AuditEventKind.Request, AuditOutcomes.Allowed, digester);
        await grain.Append(request);
        var stored = await store.QueryAsync(new AuditQuery(), CancellationToken.None);
        Assert.Equal(request.EventId, Assert.Single(stored).Record.EventId);

        await grain.AppendBatch([AuditSamples.Simple(1), AuditSamples.Simple(2)]);
        await host.StopAsync();

        Assert.True(File.Exists(Path.Combine(keyDirectory, AuditKeyLoader.HashKeyFile)));
        Assert.True(File.Exists(Path.Combine(keyDirectory, AuditKeyLoader.SigningKeyFile)));
        Assert.Empty(Directory.GetFiles(directory, "*.key"));
        Assert.Single(Directory.GetFiles(Path.Combine(directory, "audit-checkpoints")));
        var result = await host.Services.GetRequiredService<AuditVerifier>().VerifyAsync(CancellationToken.None);
        Assert.True(result.Ok, result.Reason);
        Assert.Equal((3L, 1, 0), (result.Checked, result.Partitions, result.OpenPartitions));
        var serializer = host.Services.GetRequiredService<Serializer>();
        Assert.IsType<AuditUnavailableException>(serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new AuditUnavailableException())));
    }
}
