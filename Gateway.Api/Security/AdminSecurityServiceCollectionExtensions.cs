using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synapse.Audit;
using Synapse.Configuration;
using Synapse.Gateway.Admin;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Security;

public static class AdminSecurityServiceCollectionExtensions
{
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
        services.AddSingleton(sp => AdminCredential.Load(sp.GetRequiredService<AdminSecurityOptions>(), dataDirectory, allowGeneratedToken, sp.GetRequiredService<AuditKeys>));

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

        services.TryAddSingleton(sp => new AccountSeals(sp.GetRequiredService<AuditKeys>()));
        services.AddSingleton<AdminAccountStore>();
        services.AddSingleton<IPasswordHasher<AdminAccount>, PasswordHasher<AdminAccount>>();
        services.AddSingleton<AdminSessions>();
        services.AddSingleton<AdminSignIn>();
        services.AddSingleton<AdminAuthenticationThrottle>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<FailedAuthentications>();
        services.AddSingleton<AdminAudit>();
        return services;
    }

    /// <summary>
    /// The one-time sealing of accounts an earlier release wrote (<see cref="AccountSealUpgrade"/>),
    /// for a process that co-hosts the silo, so the seal columns exist before it runs. Register it
    /// after the silo: hosted services start in order.
    /// </summary>
    public static IServiceCollection AddAccountSealUpgrade(this IServiceCollection services, string dataDirectory, bool clustered)
    {
        services.AddHostedService(sp => new AccountSealUpgrade(
            sp.GetRequiredService<AdminAccountStore>(),
            AccountSealUpgrade.MarkerDirectory(sp.GetRequiredService<AuditOptions>(), dataDirectory, clustered),
            sp.GetRequiredService<ILogger<AccountSealUpgrade>>()));
        return services;
    }
}
