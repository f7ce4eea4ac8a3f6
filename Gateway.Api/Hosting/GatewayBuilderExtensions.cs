using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synapse.Configuration;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Dlp;
using Synapse.Gateway.Admin;
using Synapse.Gateway.Audit;
using Synapse.Grains;
using Synapse.Gateway.ClientApis;
using Synapse.Gateway.OpenAi;
using Synapse.Gateway.Security;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Audit;
using Synapse.Hosting;
using Synapse.Persistence.Storage;

namespace Synapse.Gateway.Hosting;

public static class GatewayBuilderExtensions
{
    public const string DefaultUrl = "http://localhost:8080";

    /// <summary>The prefix the gateway is served under behind a reverse proxy (<c>--pathbase</c>, <c>ASPNETCORE_PATHBASE</c>).</summary>
    public const string PathBaseKey = "pathbase";

    /// <summary>
    /// The front end in either mode: all-in-one co-hosts a silo on SQLite (or PostgreSQL when
    /// configured); <c>client</c> joins a PostgreSQL-clustered set of headless silos.
    /// </summary>
    public static WebApplicationBuilder AddSynapseGateway(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        configuration.AddSynapseSecretFiles();
        ListenAddresses.Check(configuration);
        CheckPathBase(configuration[PathBaseKey]);
        var mode = GatewayModes.Of(configuration);
        var dataDirectory = DataDirectory.Resolve(configuration);
        HoldDataDirectory(builder, mode, dataDirectory);
        var database = SynapseDatabase.FromConfiguration(configuration, dataDirectory);

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayModeValidator>());
        builder.Services.AddSynapseOptions<GatewayOptions>(configuration, GatewayOptions.SectionName);
        builder.Services.AddSingleton(database);
        builder.AddGatewayOperations(hostsSilo: mode == GatewayModes.AllInOne);
        switch (mode)
        {
            case GatewayModes.AllInOne:
                builder.UseOrleans(silo => silo.UseSynapseSilo(configuration, database, dataDirectory));
                builder.Services.PersistDataProtectionKeysIn(dataDirectory);
                break;
            case GatewayModes.Client when database.Engine == DatabaseEngine.Postgres:
                builder.UseOrleansClient(client => client.UseSynapseClient(configuration, database));
                builder.Services.AddSynapseAuditStore(configuration, database, dataDirectory);
                break;
            default:
                throw new StartupConfigurationException("Synapse:Mode=client joins a cluster, which keeps its state in PostgreSQL: set ConnectionStrings:Postgres.");
        }

        builder.Services.AddAdminSecurity(configuration, dataDirectory, allowGeneratedToken: mode == GatewayModes.AllInOne);
        if (mode == GatewayModes.AllInOne)
        {
            builder.Services.AddAccountSealUpgrade(dataDirectory, clustered: database.Engine == DatabaseEngine.Postgres);
        }

        builder.Services.AddAdminConsole(database);
        builder.Services.AddAuditProofBudget(configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenAiFrontEnd(configuration);
        builder.Services.AddSynapseGrainClientServices();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<DashboardPipeline>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }

    /// <summary>
    /// An all-in-one gateway on SQLite takes its data directory for itself before it opens the
    /// database (<see cref="DataDirectoryLock"/>); the host releases it when disposed. A cluster's
    /// processes share their state in PostgreSQL and take nothing.
    /// </summary>
    private static void HoldDataDirectory(WebApplicationBuilder builder, string mode, string dataDirectory)
    {
        if (mode == GatewayModes.AllInOne && SynapseDatabase.EngineOf(builder.Configuration) == DatabaseEngine.Sqlite)
        {
            var held = DataDirectoryLock.Acquire(dataDirectory);
            builder.Services.AddHostedService(_ => held);
        }
    }

    /// <summary>
    /// The prefix is checked while the host is composed: <c>UsePathBase</c> refuses one without its
    /// leading '/' with an <see cref="ArgumentException"/> as the pipeline is built, an unhandled
    /// exception (exit code 134 and a stack trace) that names neither the setting nor the fix.
    /// </summary>
    private static void CheckPathBase(string? pathBase)
    {
        if (pathBase is { Length: > 0 } && !pathBase.StartsWith('/'))
        {
            throw new StartupConfigurationException($"{PathBaseKey} must start with '/': '{pathBase}' is not a path prefix; write it as /gw (--pathbase /gw, ASPNETCORE_PATHBASE=/gw).");
        }
    }

    public static WebApplication MapSynapseGateway(this WebApplication app)
    {
        // Made now (after the settings were checked), not at the first admin request; a token the
        // all-in-one mode generates is printed, and its hash kept, only once the host listens: a
        // start that fails leaves nothing behind, and the next one generates and prints a token.
        var credential = app.Services.GetRequiredService<AdminCredential>();
        app.Lifetime.ApplicationStarted.Register(() => credential.KeepGeneratedToken(Console.Out, Console.Error));
        StartupSummary.LogWhenStarted(
            app.Services,
            app.Lifetime,
            GatewayModes.Of(app.Configuration) == GatewayModes.AllInOne ? "all-in-one" : "front end (client mode)",
            $"{app.Configuration[PathBaseKey]?.TrimEnd('/')}{AdminConsole.ConsolePath}");

        // Behind a reverse proxy under a prefix (--pathbase /gw or ASPNETCORE_PATHBASE=/gw): routing
        // must run after the prefix is taken off.
        if (app.Configuration[PathBaseKey] is { Length: > 1 } pathBase)
        {
            app.UsePathBase(pathBase);
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAdminSecurityHeaders();
        app.UseAdminConsoleFiles(app.Environment);
        app.UseRouting();
        app.UseClientCors();
        app.UseWhen(c => c.Request.Path.StartsWithSegments(AdminEndpoints.Prefix) || c.Request.Path.StartsWithSegments(AdminConsole.OpenApiPrefix), b => b.UseMiddleware<AdminRequestGuard>());
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenAiApi();
        app.MapClientApis();
        app.MapAdminApi();
        app.MapAdminConsole();
        if (app.Services.GetRequiredService<SynapseOrleansOptions>().Dashboard)
        {
            app.MapLazyOrleansDashboard();
        }

        app.MapGatewayOperations();
        return app;
    }
}
