using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Synapse.Binding;
using Synapse.Configuration;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// ASP.NET Core's CORS middleware on the client APIs, with one policy made from
/// <see cref="ClientCorsOptions"/>. A browser's preflight (<c>OPTIONS</c> with <c>Origin</c> and
/// <c>Access-Control-Request-Method</c>) carries no key by the standard: it is answered 204 here,
/// with permission when its origin is allowed and without otherwise, never taken for a failed
/// authentication. The request that follows is a request like any other: keyed, audited, limited.
/// </summary>
public static class ClientCors
{
    private const string PolicyName = "synapse-client-apis";

    /// <summary>The headers a page's script may read: the request's id, the limits, and what the binding dropped.</summary>
    private static readonly string[] ExposedHeaders =
    [
        "x-request-id", "retry-after", "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
        "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", DroppedFields.HeaderName, ClientApis.MessagesShape.ErrorCodeHeader,
    ];

    /// <summary>
    /// The client APIs' paths: <c>/v1</c>, Azure's <c>/openai</c>, and the API's paths without
    /// <c>/v1</c> that <see cref="OpenAiEndpoints"/> answers with a hint about the base URL.
    /// </summary>
    private static readonly string[] ClientPaths = ["/v1", "/openai", .. OpenAiEndpoints.PathsWithoutV1.Select(p => p.Replace("/{**rest}", string.Empty, StringComparison.Ordinal))];

    public static IServiceCollection AddClientCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSynapseOptions<ClientCorsOptions>(configuration, ClientCorsOptions.SectionName);
        services.AddSingleton<IValidateOptions<ClientCorsOptions>, ClientCorsOptionsValidator>();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ClientCorsOptions>>((cors, client) => cors.AddPolicy(PolicyName, Policy(client.Value)));
        return services;
    }

    /// <summary>CORS on the client APIs' paths only: the admin API, the console, the dashboard and the operations endpoints stay same-origin.</summary>
    public static IApplicationBuilder UseClientCors(this IApplicationBuilder app) =>
        app.UseWhen(c => IsClientPath(c.Request.Path), branch => branch.UseCors(PolicyName));

    private static CorsPolicy Policy(ClientCorsOptions options)
    {
        var policy = new CorsPolicyBuilder()
            .AllowAnyHeader()
            .WithMethods(HttpMethods.Get, HttpMethods.Post)
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromSeconds(options.PreflightMaxAgeSeconds));
        return (options.AllowedOrigins is ["*"] ? policy.AllowAnyOrigin() : policy.WithOrigins(options.AllowedOrigins)).Build();
    }

    private static bool IsClientPath(PathString path)
    {
        foreach (var prefix in ClientPaths)
        {
            if (path.StartsWithSegments(prefix))
            {
                return true;
            }
        }

        return false;
    }
}
