using Microsoft.AspNetCore.Authentication;

namespace Synapse.Gateway.Security;

public static class AdminAuthentication
{
    public const string SchemeName = "SynapseAdmin";
    public const string PolicyName = "SynapseAdmin";

    public static IServiceCollection AddAdminAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser());
        return services;
    }
}
