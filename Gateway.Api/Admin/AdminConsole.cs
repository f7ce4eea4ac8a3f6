using Microsoft.AspNetCore.OpenApi;
using Synapse.Gateway.Security;
using Synapse.Persistence.Accounts;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Storage;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The console at <c>/admin/</c> (a static single-page app from <c>wwwroot/admin</c>, a client of
/// the admin API), the usage rollup and queries, and the admin API's OpenAPI document.
/// The console's files are served by the static-files middleware from a folder found at start
/// (the content root's <c>wwwroot</c>, else the one copied next to the assembly), not by
/// <c>MapStaticAssets</c>: its endpoints come from a build-time manifest whose compressed copies
/// exist only after publish, so a gateway started from a build with another content root (the
/// tests, <c>dotnet path/to/Synapse.Gateway.Api.dll</c>) could not serve them.
/// </summary>
public static class AdminConsole
{
    public const string OpenApiPrefix = "/openapi";

    public static IServiceCollection AddAdminConsole(this IServiceCollection services, SynapseDatabase database)
    {
        services.AddSingleton(new UsageQuery(database));
        services.AddSingleton(sp => new UsageRollup(database, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new AuditEventLookup(database));
        services.AddHostedService<UsageRollupService>();
        services.AddOpenApi(o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith("admin/api", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Synapse admin API";
                document.Info.Description = "Sign in with POST /admin/api/session (cookie + X-CSRF-Token) or send 'Authorization: Bearer <admin token>'. Errors are RFC 7807 problem details.";
                AdminApiDocumentation.DescribeCredentials(document);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                AdminApiDocumentation.DescribeCredentials(operation, context);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public const string ConsolePath = "/admin";

    /// <summary>
    /// Serves the console's files under <c>/admin/</c> (<c>/admin/</c> itself is its index.html, and
    /// <c>/admin</c> is redirected there: the page's links are relative). Runs before routing.
    /// </summary>
    public static IApplicationBuilder UseAdminConsoleFiles(this IApplicationBuilder app, IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var root = new[] { environment.ContentRootPath, AppContext.BaseDirectory }
            .Select(dir => Path.Combine(dir, "wwwroot", "admin"))
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "index.html")));
        if (root is null)
        {
            return app;
        }

        var files = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = ConsolePath });
        var types = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = types,
            RequestPath = ConsolePath,
            // Unversioned file names: the browser revalidates (ETag) rather than keep an old console.
            OnPrepareResponse = r => r.Context.Response.Headers.CacheControl = "no-cache",
        });
    }

    public static IEndpointRouteBuilder MapAdminConsole(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(OpenApiPrefix + "/{documentName}.json").RequireAuthorization(AdminPolicies.Read);
        return app;
    }
}
