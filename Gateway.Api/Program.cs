using System.Net;
using Synapse.Configuration;
using Synapse.Gateway.Hosting;
using Synapse.Hosting;
using Synapse.Hosting.Health;
using Synapse.Hosting.Management;

if (HealthProbe.IsHealthCommand(args))
{
    // The container healthcheck: asks this machine's running front end whether it is ready.
    return await HealthProbe.RunAsync(() => HealthProbe.Configuration(args), settings =>
    {
        var management = OptionsReader.Read<ManagementOptions>(settings, ManagementOptions.SectionName);
        return management.Port is { } port
            ? new IPEndPoint(ListenAddress.Dialable(management.Address), port)
            : new IPEndPoint(IPAddress.Loopback, HealthProbe.HttpPort(settings, 8080));
    });
}

WebApplication app;
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = ContentRoot.Locate(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Environment.GetEnvironmentVariable),
    });
    builder.AddSynapseGateway();
    app = builder.Build();
    if (StartupValidation.Problems(app.Services) is { } problems)
    {
        Console.Error.WriteLine(problems);
        return CompositionFailure.SettingExitCode;
    }

    app.MapSynapseGateway();
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    // An appsettings.json that does not parse, a data directory that cannot be one, a missing or
    // invalid setting needed to compose the host: one line that names it, not a stack trace.
    return CompositionFailure.Report(e, Console.Error);
}

return await HostRun.RunAsync(app);

/// <summary>The front end's entry point, public so that tests can host the real application.</summary>
public partial class Program;
