using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Gateway.Security;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Admin;

/// <summary>
/// First run: while no account exists, the admin token (generated or configured) proves the right to
/// create the first admin account. There is never a default password.
/// </summary>
internal static class SetupApi
{
    public static RouteGroupBuilder MapSetupApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/setup", StateAsync).AllowAnonymous()
            .WithName("GetSetupState").WithSummary("Whether the first account still has to be created.");
        admin.MapPost("/setup", SetupAsync).AllowAnonymous()
            .Audited("setup", AdminAudit.NewTarget)
            .Accepts<SetupRequest>("application/json")
            .Produces<AccountView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("Setup").WithSummary("Creates the first admin account, with the admin token as proof; 409 once any account exists.");
        return admin;
    }

    private static async Task<Ok<SetupState>> StateAsync(AdminAccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(new SetupState(!await accounts.AnyAsync(cancellationToken)));

    private static async Task<IResult> SetupAsync(
        HttpContext context, AdminCredential credential, AdminAccountStore accounts, Microsoft.AspNetCore.Identity.IPasswordHasher<AdminAccount> hasher,
        FailedAuthentications failures, TimeProvider timeProvider, IProblemDetailsService problems)
    {
        var (body, problem) = await AdminJson.ReadAsync<SetupRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Token is not { Length: > 0 } token || !credential.Matches(token))
        {
            AdminAuditScope.Of(context).Facts["reason"] = "wrong_token";
            if (await failures.CountAsync(context, "setup"))
            {
                return ThrottledResult.Instance(problems);
            }

            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Admin token required", detail: "The token is not this gateway's admin token.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var username = AccountRules.NormalizeUsername(body.Username);
        if (AccountRules.NewUsernameProblem(username) is { } usernameProblem)
        {
            errors["username"] = [usernameProblem];
        }

        if (AccountRules.PasswordProblem(body.Password) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The account is not valid.");
        }

        var now = timeProvider.GetUtcNow();
        if (!await accounts.CreateFirstAsync(username!, hasher.HashPassword(null!, body.Password!), now, context.RequestAborted))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Setup is done", detail: "An account exists already; sign in instead.");
        }

        var created = AccountView.From((await accounts.FindAsync(username!, context.RequestAborted))!);
        var scope = AdminAuditScope.Of(context);
        scope.Actor = AdminSchemes.TokenActor;
        scope.Target = username;
        scope.After = created;
        return TypedResults.Created($"/admin/api/accounts/{username}", created);
    }

    public sealed record SetupRequest(string? Token, string? Username, string? Password);

    public sealed record SetupState(bool Required);
}
