using Microsoft.Extensions.Hosting;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Audit;
using Synapse.Silo.Audit;
using Synapse.Hosting;
using Synapse.Persistence.Storage;

// The headless silo of a cluster: grains only, no HTTP. Front ends (Gateway.Api with
// Synapse:Mode=client) reach it through the cluster's PostgreSQL membership table.
var builder = Host.CreateApplicationBuilder(args);
if (AuditCommandLine.IsAuditCommand(args))
{
    return await AuditCommandLine.RunAsync(args, builder.Configuration);
}

var dataDirectory = DataDirectory.Resolve(builder.Configuration);
var database = SynapseDatabase.FromConfiguration(builder.Configuration, dataDirectory);
if (database.Engine != DatabaseEngine.Postgres)
{
    Console.Error.WriteLine("A headless silo joins a cluster, and a cluster keeps its state in PostgreSQL: set ConnectionStrings:Postgres (env ConnectionStrings__Postgres). To run everything in one process, run Gateway.Api instead.");
    return 2;
}

try
{
    builder.AddSynapseHeadlessSilo(database, dataDirectory);
}
catch (StartupConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var host = builder.Build();
if (StartupValidation.Problems(host.Services) is { } problems)
{
    Console.Error.WriteLine(problems);
    return 2;
}

await host.RunAsync();
return 0;
