using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synapse.Configuration;
using Synapse.Gateway.Admin;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Security;

public static class AdminSecurityServiceCollectionExtensions
{
    /// <summary>The rate-limiter policy of the sign-in and setup endpoints (per client address).</summary>
    public const string SignInRateLimit = "synapse-admin-sign-in";

    /// <summary>
    /// Admin authentication and authorisation: the admin token (generated into <paramref name="dataDirectory"/>
    /// when <paramref name="allowGeneratedToken"/>, else required at start), the token, session and
    /// dashboard schemes (none of them the default), the read/write/dashboard policies, accounts and
    /// sessions in the database, the failed-authentication throttle and the sign-in rate limit.
    /// </summary>
    public static IServiceCollection AddAdminSecurity(this IServiceCollection services, IConfiguration configuration, string dataDirectory, bool allowGeneratedToken)
    {
        if (!allowGeneratedToken)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminSecurityOptions>, AdminTokenRequired>());
        }

        services.AddSynapseOptions<AdminSecurityOptions>(configuration, AdminSecurityOptions.SectionName);
        services.AddSingleton(sp => AdminCredential.Load(sp.GetRequiredService<AdminSecurityOptions>(), dataDirectory, allowGeneratedToken));

        services.AddAuthentication()
            .AddScheme<AdminCredentialSchemeOptions, AdminCredentialHandler>(AdminSchemes.Token, AdminCredentialSchemeOptions.Token)
            .AddScheme<AuthenticationSchemeOptions, AdminSessionAuthenticationHandler>(AdminSchemes.Session, null)
            .AddScheme<AdminCredentialSchemeOptions, AdminCredentialHandler>(AdminSchemes.Dashboard, AdminCredentialSchemeOptions.Dashboard)
            .AddPolicyScheme(AdminSchemes.Admin, null, o =>
            {
                // An explicit Authorization header wins over a cookie the browser happens to hold.
                o.ForwardDefaultSelector = context => context.Request.Headers.Authorization.Count > 0 ? AdminSchemes.Token : AdminSchemes.Session;
                o.ForwardChallenge = AdminSchemes.Token;
                o.ForwardForbid = AdminSchemes.Token;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicies.Read, p => p.AddAuthenticationSchemes(AdminSchemes.Admin).RequireRole(AdminRoles.Admin, AdminRoles.Auditor))
            .AddPolicy(AdminPolicies.Write, p => p.AddAuthenticationSchemes(AdminSchemes.Admin).RequireRole(AdminRoles.Admin))
            .AddPolicy(AdminPolicies.Dashboard, p => p.AddAuthenticationSchemes(AdminSchemes.Dashboard).RequireAuthenticatedUser());

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                await AdminChallenge.WriteThrottledAsync(context.HttpContext, context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>(), retryAfter);
            };
            o.AddPolicy(SignInRateLimit, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<AdminSecurityOptions>>().Value.SignInsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(ClientAddress.SourceOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });

        services.AddSingleton<AdminAccountStore>();
        services.AddSingleton<IPasswordHasher<AdminAccount>, PasswordHasher<AdminAccount>>();
        services.AddSingleton<AdminSessions>();
        services.AddSingleton<AdminSignIn>();
        services.AddSingleton<AdminAuthenticationThrottle>();
        services.AddSingleton<FailedAuthentications>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<AdminAuditFilter>();
        services.AddSingleton<CsrfFilter>();
        return services;
    }
}
