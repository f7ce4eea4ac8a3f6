using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Synapse.Configuration;
using Synapse.Gateway.Security;

namespace Synapse.Gateway.OpenAi;

public static class OpenAiServiceCollectionExtensions
{
    /// <summary>
    /// The <c>/v1</c> front end up to the key grain: key resolution, failed-authentication
    /// throttling and auditing, body limits (Kestrel's minimum body rate included) and the proxy.
    /// Settings are validated when the host starts; a bad one stops it with a message naming it.
    /// </summary>
    public static IServiceCollection AddOpenAiFrontEnd(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSynapseOptions<KeyAuthenticationOptions>(configuration, KeyAuthenticationOptions.SectionName);
        services.AddSingleton<IValidateOptions<KeyAuthenticationOptions>, KeyAuthenticationOptionsValidator>();
        services.AddSynapseOptions<RequestBodyOptions>(configuration, RequestBodyOptions.SectionName);
        services.AddSingleton<IValidateOptions<RequestBodyOptions>, RequestBodyOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestBodyOptions>>((kestrel, body) =>
            kestrel.Limits.MinRequestBodyDataRate = body.Value.MinBytesPerSecond > 0
                ? new MinDataRate(body.Value.MinBytesPerSecond, TimeSpan.FromSeconds(body.Value.MinRateGraceSeconds))
                : null);

        services.AddClientCors(configuration);
        services.AddSingleton<KeyResolver>();
        services.AddSingleton<FailedAuthenticationTally>();
        services.AddSingleton<FailedAuthenticationThrottle>();
        services.AddSingleton<FailedAuthenticationAuditor>();
        services.AddHostedService(sp => sp.GetRequiredService<FailedAuthenticationAuditor>());
        services.AddSingleton(sp => new KeyRefusal(sp.GetRequiredService<FailedAuthenticationTally>(), sp.GetRequiredService<FailedAuthenticationThrottle>()));
        services.AddSingleton<RequestAudit>();
        services.AddSingleton<FrontEndSteps>();
        services.AddSingleton<OpenAiProxy>();
        services.AddSingleton<ClientApis.TranslatingProxy>();
        services.AddSingleton<ClientApis.ModelsProxy>();
        services.AddSingleton<UnknownEndpoint>();
        return services;
    }
}
