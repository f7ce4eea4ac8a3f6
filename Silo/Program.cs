using System.Net;
using Microsoft.AspNetCore.Builder;
using Synapse.Configuration;
using Synapse.Hosting;
using Synapse.Hosting.Health;
using Synapse.Hosting.Management;
using Synapse.Persistence.Storage;
using Synapse.Silo.Audit;
using Synapse.Silo.Backup;

// The headless silo of a cluster: grains, and a management port for health and metrics. Front
// ends (Gateway.Api with Synapse:Mode=client) reach it through the cluster's PostgreSQL membership table.
if (HealthProbe.IsHealthCommand(args))
{
    var settings = HealthProbe.Configuration(args);
    return await HealthProbe.RunAsync(() =>
    {
        var management = OptionsReader.Read<ManagementOptions>(settings, ManagementOptions.SectionName);
        return new IPEndPoint(ListenAddress.Dialable(management.Address), management.Port ?? ManagementOptions.DefaultSiloPort);
    });
}

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.Configuration.AddSynapseSecretFiles();
    if (AuditCommandLine.IsAuditCommand(args))
    {
        return await AuditCommandLine.RunAsync(args, builder.Configuration);
    }

    if (BackupCommandLine.IsBackupCommand(args))
    {
        return await BackupCommandLine.RunAsync(args, builder.Configuration);
    }

    var dataDirectory = DataDirectory.Resolve(builder.Configuration);
    var database = SynapseDatabase.FromConfiguration(builder.Configuration, dataDirectory);
    if (database.Engine != DatabaseEngine.Postgres)
    {
        Console.Error.WriteLine("A headless silo joins a cluster, and a cluster keeps its state in PostgreSQL: set ConnectionStrings:Postgres (env ConnectionStrings__Postgres). To run everything in one process, run Gateway.Api instead.");
        return 2;
    }

    builder.AddSynapseHeadlessSilo(database, dataDirectory);
}
catch (StartupConfigurationException e)
{
    // A missing or invalid setting needed to compose the silo (or run the audit CLI): one line that names it.
    Console.Error.WriteLine(e.Message);
    return 2;
}

var app = builder.Build();
if (StartupValidation.Problems(app.Services) is { } problems)
{
    Console.Error.WriteLine(problems);
    return 2;
}

app.MapSynapseSiloManagement();
StartupSummary.LogWhenStarted(app.Services, app.Lifetime, "headless silo");
return await HostRun.RunAsync(app);
