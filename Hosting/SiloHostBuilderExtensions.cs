using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Synapse.Configuration;
using Synapse.Hosting.Drain;
using Synapse.Hosting.Health;
using Synapse.Hosting.Management;
using Synapse.Hosting.Memory;
using Synapse.Hosting.Telemetry;
using Synapse.Persistence.Storage;

namespace Synapse.Hosting;

public static class SiloHostBuilderExtensions
{
    /// <summary>
    /// The headless silo's composition, shared by Program.cs and the cluster tests: the silo, and
    /// its management port (<c>/healthz/live</c>, <c>/healthz/ready</c>, <c>/metrics</c>) — the
    /// only HTTP it serves.
    /// </summary>
    public static WebApplicationBuilder AddSynapseHeadlessSilo(this WebApplicationBuilder builder, SynapseDatabase database, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Kestrel's address is chosen while the host is composed: the one early read of the
        // management settings, through the check the host runs at start.
        var management = OptionsReader.Read<ManagementOptions>(builder.Configuration, ManagementOptions.SectionName);
        builder.WebHost.UseUrls(management.ListenUrl(management.Port ?? ManagementOptions.DefaultSiloPort));
        builder.Logging.AddSynapseLogDefaults(builder.Configuration);
        builder.Services.AddSingleton(database);
        builder.Services.AddSynapseShutdown(builder.Configuration);
        builder.Services.AddSynapseTelemetry(builder.Configuration, SynapseRoles.Silo);
        builder.Services.AddSynapseHealthChecks(hostsSilo: true);
        builder.Services.AddSynapseMemoryTrim(builder.Configuration);
        builder.UseOrleans(silo => silo.UseSynapseSilo(builder.Configuration, database, dataDirectory));
        return builder;
    }

    /// <summary>The management endpoints of a headless silo.</summary>
    public static WebApplication MapSynapseSiloManagement(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapSynapseHealth();
        app.MapSynapseMetrics();
        return app;
    }
}
