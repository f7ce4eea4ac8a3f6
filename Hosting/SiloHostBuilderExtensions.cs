using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synapse.Persistence.Storage;

namespace Synapse.Hosting;

public static class SiloHostBuilderExtensions
{
    /// <summary>The headless silo's composition, shared by Program.cs and the cluster tests.</summary>
    public static HostApplicationBuilder AddSynapseHeadlessSilo(this HostApplicationBuilder builder, SynapseDatabase database, string dataDirectory)
    {
        builder.Services.AddSingleton(database);
        builder.Services.AddSynapseTelemetry(builder.Configuration);
        builder.UseOrleans(silo => silo.UseSynapseSilo(builder.Configuration, database, dataDirectory));
        return builder;
    }
}
