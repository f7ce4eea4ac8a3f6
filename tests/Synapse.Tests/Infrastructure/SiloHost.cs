using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synapse.Hosting;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Infrastructure;

/// <summary>A headless silo composed exactly as Silo/Program.cs composes it, in this process.</summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SiloHost(WebApplication app) => _app = app;

    public static async Task<SiloHost> StartAsync(IDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Synapse:Management:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Synapse:DataDirectory"] = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N")),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(CapturedLogs.Provider);
        var dataDirectory = DataDirectory.Resolve(builder.Configuration);
        var database = SynapseDatabase.FromConfiguration(builder.Configuration, dataDirectory);
        builder.AddSynapseHeadlessSilo(database, dataDirectory);
        var app = builder.Build();
        app.MapSynapseSiloManagement();
        await app.StartAsync();
        return new SiloHost(app);
    }

    public async Task StopAsync() => await _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
