using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Synapse.Gateway.Security;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Named accounts (admins only): create, list, and change an account's role, disabled state or
/// password. A role change, a disabling or a password reset ends the account's sessions; no change
/// may leave the gateway without an enabled admin. An account whose seal fails is listed as broken
/// and is only changed by a reset that gives both a password and a role.
/// </summary>
internal static class AccountsApi
{
    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/accounts", CreateAsync).AdminOnly()
            .Audited("account.create", AdminAudit.NewTarget)
            .Accepts<CreateAccountRequest>("application/json")
            .Produces<AccountView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateAccount").WithSummary("Creates a named account with the role admin or auditor.");
        admin.MapGet("/accounts", ListAsync).AdminOnly()
            .WithName("ListAccounts").WithSummary("Every account, never a password hash.");
        admin.MapGet("/accounts/{username}", GetAsync).AdminOnly()
            .Produces<AccountView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetAccount").WithSummary("One account.");
        admin.MapPatch("/accounts/{username}", UpdateAsync).AdminOnly()
            .Audited("account.update", "{username}")
            .Accepts<UpdateAccountRequest>("application/json")
            .Produces<AccountView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("UpdateAccount").WithSummary("Changes an account's role, disabled state or password (a reset); its sessions end. A broken account needs both password and role.");
        return admin;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, AdminAccountStore accounts, IPasswordHasher<AdminAccount> hasher, TimeProvider timeProvider)
    {
        var (body, problem) = await AdminJson.ReadAsync<CreateAccountRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var username = AccountRules.NormalizeUsername(body!.Username);
        if (AccountRules.NewUsernameProblem(username) is { } usernameProblem)
        {
            errors["username"] = [usernameProblem];
        }

        if (AccountRules.PasswordProblem(body.Password) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        if (!AdminRoles.IsKnown(body.Role))
        {
            errors["role"] = [$"Required: '{AdminRoles.Admin}' or '{AdminRoles.Auditor}'."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The account is not valid.");
        }

        if (!await accounts.CreateAsync(username!, hasher.HashPassword(null!, body.Password!), body.Role!, timeProvider.GetUtcNow(), context.RequestAborted))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Account exists", detail: "An account with this user name exists.");
        }

        var created = AccountView.From((await accounts.FindAsync(username!, context.RequestAborted))!);
        var scope = AdminAuditScope.Of(context);
        scope.Target = username;
        scope.After = created;
        return TypedResults.Created($"/admin/api/accounts/{username}", created);
    }

    private static async Task<Ok<AccountView[]>> ListAsync(AdminAccountStore accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok((await accounts.ListAsync(cancellationToken)).Select(AccountView.From).ToArray());

    private static async Task<IResult> GetAsync(string username, AdminAccountStore accounts, CancellationToken cancellationToken) =>
        AccountRules.NormalizeUsername(username) is { } name && await accounts.FindAsync(name, cancellationToken) is { } account
            ? TypedResults.Ok(AccountView.From(account))
            : NotFound();

    private static async Task<IResult> UpdateAsync(
        string username, HttpContext context, AdminAccountStore accounts, IPasswordHasher<AdminAccount> hasher, TimeProvider timeProvider)
    {
        var (body, problem) = await AdminJson.ReadAsync<UpdateAccountRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        if (AccountRules.NormalizeUsername(username) is not { } name)
        {
            return NotFound();
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body!.Role is not null && !AdminRoles.IsKnown(body.Role))
        {
            errors["role"] = [$"'{AdminRoles.Admin}' or '{AdminRoles.Auditor}'."];
        }

        if (body.Password is not null && AccountRules.PasswordProblem(body.Password) is { } passwordProblem)
        {
            errors["password"] = [passwordProblem];
        }

        if (body.Role is null && body.Disabled is null && body.Password is null)
        {
            errors["$"] = ["Give at least one of role, disabled, password."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The change is not valid.");
        }

        // A broken account's row was written without the key: nothing in it is believed, so it is
        // only reset whole, with a password and a role the admin chooses now.
        if ((body.Password is null || body.Role is null) && await accounts.FindAsync(name, context.RequestAborted) is { Broken: true })
        {
            return BrokenProblem();
        }

        var newHash = body.Password is null ? null : hasher.HashPassword(null!, body.Password);
        var change = await accounts.ChangeAsync(
            name,
            a => a with
            {
                Role = body.Role ?? a.Role,
                Disabled = body.Disabled ?? a.Disabled,
                PasswordHash = newHash ?? a.PasswordHash,
                FailedSignIns = newHash is null ? a.FailedSignIns : 0,
                LockedUntil = newHash is null ? a.LockedUntil : null,
            },
            revokeSessions: true,
            timeProvider.GetUtcNow(),
            context.RequestAborted);

        var scope = AdminAuditScope.Of(context);
        switch (change.Status)
        {
            case AccountChangeStatus.NotFound:
                return NotFound();
            case AccountChangeStatus.LastAdmin:
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Last admin", detail: "At least one enabled admin account must remain.");
            case AccountChangeStatus.Broken:
                return BrokenProblem();
        }

        scope.Before = AccountView.From(change.Before!);
        scope.After = AccountView.From(change.After!);
        if (newHash is not null)
        {
            scope.Facts["passwordReset"] = true;
        }

        return TypedResults.Ok(AccountView.From(change.After!));
    }

    private static IResult BrokenProblem() => Results.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Account seal broken",
        detail: "This account's row was changed outside Synapse (or predates sealed accounts) and grants nothing: reset it with both a new password and a role.");

    private static IResult NotFound() => AdminRouteExtensions.NotFound("Account not found", "No account has this user name.");

    public sealed record CreateAccountRequest(string? Username, string? Password, string? Role);

    public sealed record UpdateAccountRequest(string? Role, bool? Disabled, string? Password);
}
