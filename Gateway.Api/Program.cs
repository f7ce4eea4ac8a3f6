using System.Net;
using Synapse.Configuration;
using Synapse.Gateway.Hosting;
using Synapse.Hosting;
using Synapse.Hosting.Health;
using Synapse.Hosting.Management;

if (HealthProbe.IsHealthCommand(args))
{
    // The container healthcheck: asks this machine's running front end whether it is ready.
    var settings = HealthProbe.Configuration(args);
    return await HealthProbe.RunAsync(() =>
    {
        var management = OptionsReader.Read<ManagementOptions>(settings, ManagementOptions.SectionName);
        return management.Port is { } port
            ? new IPEndPoint(ListenAddress.Dialable(management.Address), port)
            : new IPEndPoint(IPAddress.Loopback, HealthProbe.HttpPort(settings, 8080));
    });
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = ContentRoot.Locate(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Environment.GetEnvironmentVariable),
});
try
{
    builder.AddSynapseGateway();
}
catch (StartupConfigurationException e)
{
    // A missing or invalid setting needed to compose the host: one line that names it, not a stack trace.
    Console.Error.WriteLine(e.Message);
    return 2;
}

var app = builder.Build();
if (StartupValidation.Problems(app.Services) is { } problems)
{
    Console.Error.WriteLine(problems);
    return 2;
}

app.MapSynapseGateway();
return await HostRun.RunAsync(app);

/// <summary>The front end's entry point, public so that tests can host the real application.</summary>
public partial class Program;
