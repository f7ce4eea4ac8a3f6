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
    return await HealthProbe.RunAsync(() => HealthProbe.Configuration(args), settings =>
    {
        var management = OptionsReader.Read<ManagementOptions>(settings, ManagementOptions.SectionName);
        return new IPEndPoint(ListenAddress.Dialable(management.Address), management.Port ?? ManagementOptions.DefaultSiloPort);
    });
}

WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(args);
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
        return CompositionFailure.SettingExitCode;
    }

    builder.AddSynapseHeadlessSilo(database, dataDirectory);
    app = builder.Build();
    if (StartupValidation.Problems(app.Services) is { } problems)
    {
        Console.Error.WriteLine(problems);
        return CompositionFailure.SettingExitCode;
    }

    app.MapSynapseSiloManagement();
    StartupSummary.LogWhenStarted(app.Services, app.Lifetime, "headless silo");
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    // A missing or invalid setting, path or configuration file needed to compose the silo (or
    // run the audit CLI): one line that names it, not a stack trace.
    return CompositionFailure.Report(e, Console.Error);
}

return await HostRun.RunAsync(app);
