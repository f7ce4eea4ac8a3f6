using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Synapse.Gateway.Hosting;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// The real front end, composed exactly as Program.cs composes it, on Kestrel on a loopback
/// port, with its own Orleans ports and data directory.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string AdminToken = GatewayApi.AdminToken;

    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri baseAddress, string dataDirectory)
    {
        _app = app;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        Admin = GatewayApi.AdminClient(baseAddress);
    }

    public Uri BaseAddress { get; }

    public Uri V1 => new(BaseAddress, "/v1");

    public string DataDirectory { get; }

    /// <summary>An HTTP client that sends the admin token.</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Settings for a provider named <paramref name="name"/> pointing at <paramref name="baseUrl"/>.</summary>
    public static Dictionary<string, string?> Provider(string name, Uri baseUrl, string location, params string[] models)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"Synapse:Providers:{name}:Type"] = "openai",
            [$"Synapse:Providers:{name}:BaseUrl"] = baseUrl.ToString(),
            [$"Synapse:Providers:{name}:ApiKey"] = "sk-provider-credential",
            [$"Synapse:Providers:{name}:Location"] = location,
        };
        for (var i = 0; i < models.Length; i++)
        {
            settings[$"Synapse:Providers:{name}:Models:{i}"] = models[i];
        }

        return settings;
    }

    /// <param name="logs">A logger of this gateway's own, besides the suite-wide <see cref="CapturedLogs"/>.</param>
    /// <param name="services">Services registered before the gateway's own (a clock the test moves: the gateway only adds one when none is there).</param>
    public static async Task<GatewayHost> StartAsync(IDictionary<string, string?> settings, string? dataDirectory = null, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var app = Build(settings, dataDirectory, logs, services);
        app.MapSynapseGateway();
        await app.StartAsync();
        return new GatewayHost(app, new Uri(app.Urls.First(u => u.Contains("127.0.0.1", StringComparison.Ordinal))), dataDirectory);
    }

    /// <summary>The application composed and built as Program.cs does it, not started.</summary>
    public static WebApplication Build(IDictionary<string, string?> settings, string? dataDirectory = null, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);

        // The data directory as content root keeps Gateway.Api's appsettings.json (and its
        // example provider) out of the tests: each test configures exactly what it needs.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = dataDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Synapse:DataDirectory"] = dataDirectory,
            ["Synapse:Audit:KeyDirectory"] = dataDirectory + "-keys",
            ["Synapse:Admin:Token"] = AdminToken,
            ["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",

            // Every test client is 127.0.0.1: tests that try wrong credentials must not throttle the
            // others sharing a gateway. The throttle's own tests set low limits.
            ["Synapse:Admin:FailedAuthenticationLimit"] = "100000",
            ["Synapse:Admin:SignInsPerMinute"] = "100000",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(CapturedLogs.Provider);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        services?.Invoke(builder.Services);
        builder.AddSynapseGateway();

        // A test that killed the silo under a front end leaves requests waiting on it; stopping
        // should not wait the default 30 s for them.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        return builder.Build();
    }

    public Task<string> CreateTeamAsync(string? name = null) => GatewayApi.CreateTeamAsync(Admin, name);

    /// <summary>Creates a key and returns (id, secret).</summary>
    public Task<(string Id, string Secret)> CreateKeyAsync(string[] models, string classification = "non_sensitive", string systemPrompt = "You are a test assistant.", string? teamId = null) =>
        GatewayApi.CreateKeyAsync(Admin, models, classification, systemPrompt, teamId);

    public HttpClient ClientFor(string secret) => GatewayApi.ClientFor(BaseAddress, secret);

    /// <summary>
    /// The audit events of the request that got <paramref name="response"/>. A completion event is
    /// written just after the answer is delivered, so an admitted request's events are awaited
    /// until both are there.
    /// </summary>
    public async Task<List<JsonObject>> AuditEventsOfAsync(HttpResponseMessage response)
    {
        var requestId = response.Headers.GetValues("x-request-id").Single();
        return await Eventually.ValueAsync(
            async () =>
            {
                var page = await Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?limit=1000");
                return (List<JsonObject>)[.. page!["items"]!.AsArray().Select(e => e!.AsObject()).Where(e => e["requestId"]?.GetValue<string>() == requestId)];
            },
            events => !events.Any(IsForwarded) || events.Any(e => e["kind"]!.GetValue<string>() == "completion"),
            TimeSpan.FromSeconds(10));
    }

    // A request event that went on to a provider: it has a model and no status yet (a listing or
    // a model retrieve is answered by its key, with its status, and has no completion).
    private static bool IsForwarded(JsonObject e) => e["kind"]!.GetValue<string>() == "request" && e["model"] is not null && e["httpStatus"] is null;

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        try
        {
            await _app.StopAsync();
        }
        catch (OperationCanceledException)
        {
            // A front end whose silo a test killed: the Orleans client's stop waits on the dead
            // gateway until the shutdown timeout ends it with this exception. The test is over;
            // the host is disposed all the same.
        }

        await _app.DisposeAsync();
    }
}
