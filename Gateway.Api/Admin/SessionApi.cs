using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Synapse.Gateway.Security;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Signing in and out of the console, and changing one's own password. The session itself lives in
/// an HttpOnly cookie; the body only says who is signed in and the antiforgery token to send.
/// </summary>
internal static class SessionApi
{
    public static RouteGroupBuilder MapSessionApi(this RouteGroupBuilder admin)
    {
        admin.MapPost("/session", SignInAsync).AllowAnonymous()
            .Audited("session.create", target: null, AdminAuditMode.RecordAfter)
            .Accepts<SignInRequest>("application/json")
            .Produces<SessionView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("SignIn").WithSummary("Signs in with a user name and password: sets the session cookie and returns the antiforgery token.");
        admin.MapGet("/session", Current)
            .Produces<SessionView>()
            .WithName("GetSession").WithSummary("Who is signed in, with which role, and the session's antiforgery token.");
        admin.MapDelete("/session", SignOutAsync)
            .Audited("session.delete", target: null, AdminAuditMode.RecordAfter)
            .Produces(StatusCodes.Status204NoContent)
            .WithName("SignOut").WithSummary("Ends the session: its cookie is refused from then on, on every front end.");
        admin.MapPut("/session/password", ChangePasswordAsync)
            .Audited("account.password.change", target: null)
            .Accepts<ChangePasswordRequest>("application/json")
            .Produces<SessionView>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithName("ChangeOwnPassword").WithSummary("Changes the signed-in account's password; every session of the account ends and a new one starts.");
        return admin;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, AdminSignIn signIn, AdminSessions sessions, SignInThrottle rate, FailedAuthentications failures, IProblemDetailsService problems)
    {
        var (body, problem) = await AdminJson.ReadAsync<SignInRequest>(context.Request);
        var username = problem is null ? AccountRules.NormalizeUsername(body!.Username) : null;
        var scope = AdminAuditScope.Of(context);

        // Before the password is hashed, and not audited per attempt: a flood writes no row each.
        if (!rate.TryAttempt(ClientAddress.SourceOf(context), username ?? string.Empty, out var retryAfter))
        {
            AdminChallenge.MarkThrottled(context, retryAfter);
            scope.Unrecorded = true;
            return ThrottledResult.SignInRate(problems);
        }

        if (problem is not null)
        {
            return problem;
        }

        if (username is null || body!.Password is not { Length: > 0 and <= AccountRules.MaxPasswordLength } password)
        {
            scope.Facts["reason"] = "malformed";
            return await failures.CountAsync(context, "session.create") ? ThrottledResult.Instance(problems) : SignInRefused();
        }

        var (account, reason, known) = await signIn.CheckAsync(username, password, context.RequestAborted);
        scope.Actor = known;
        scope.Target = known;
        if (account is null)
        {
            // The attempted name is kept only when it is an account's: a password typed into the
            // name field must not end up in the audit log.
            scope.Facts["reason"] = reason;
            return await failures.CountAsync(context, "session.create") ? ThrottledResult.Instance(problems) : SignInRefused();
        }

        var issued = await sessions.StartAsync(account, context.RequestAborted);
        AdminSessions.WriteCookie(context, issued);
        return TypedResults.Ok(new SessionView(issued.Username, issued.Role, issued.CsrfToken, issued.ExpiresAt, (int)sessions.IdleTimeout.TotalSeconds));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<SessionView> Current(ClaimsPrincipal user, AdminSessions sessions) => TypedResults.Ok(ViewOf(user, sessions));

    private static async Task<IResult> SignOutAsync(HttpContext context, AdminSessions sessions)
    {
        if (context.User.FindFirst(AdminClaims.SessionHash)?.Value is { } hash)
        {
            await sessions.EndAsync(hash, context.RequestAborted);
            AdminSessions.ClearCookie(context);
        }

        return TypedResults.NoContent();
    }

    private static async Task<IResult> ChangePasswordAsync(
        HttpContext context, AdminAccountStore accounts, IPasswordHasher<AdminAccount> hasher, AdminSessions sessions, TimeProvider timeProvider,
        FailedAuthentications failures, IProblemDetailsService problems)
    {
        if (context.User.Identity?.AuthenticationType != AdminSchemes.Session || context.User.Identity.Name is not { } username)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No account", detail: "The admin token has no password; sign in with an account to change its password.");
        }

        var (body, problem) = await AdminJson.ReadAsync<ChangePasswordRequest>(context.Request);
        if (problem is not null)
        {
            return problem;
        }

        // Whoever holds a stolen session must not try current passwords faster than a sign-in could:
        // its failures are counted under the account, and refused before the check, as no one but
        // a holder of this account's session can fail under that name.
        var source = "account:" + username;
        if (await failures.IsThrottledAsync(context, "account.password.change", source))
        {
            return ThrottledResult.Instance(problems);
        }

        var account = await accounts.FindAsync(username, context.RequestAborted);
        if (account is null || account.Broken || body!.CurrentPassword is not { } current
            || hasher.VerifyHashedPassword(account, account.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            AdminAuditScope.Of(context).Facts["reason"] = "wrong_password";
            if (await failures.CountAsync(context, "account.password.change", source))
            {
                return ThrottledResult.Instance(problems);
            }

            return AdminJson.Invalid("currentPassword", "This is not the account's current password.");
        }

        if (AccountRules.PasswordProblem(body.NewPassword) is { } passwordProblem)
        {
            return AdminJson.Invalid("newPassword", passwordProblem);
        }

        var newHash = hasher.HashPassword(account, body.NewPassword!);
        var change = await accounts.ChangeAsync(username, a => a with { PasswordHash = newHash }, revokeSessions: true, timeProvider.GetUtcNow(), context.RequestAborted);
        AdminAuditScope.Of(context).Target = username;
        if (change.Status != AccountChangeStatus.Changed)
        {
            return AdminRouteExtensions.NotFound("Account not found", "The signed-in account no longer exists.");
        }

        var issued = await sessions.StartAsync(change.After!, context.RequestAborted);
        AdminSessions.WriteCookie(context, issued);
        return TypedResults.Ok(new SessionView(issued.Username, issued.Role, issued.CsrfToken, issued.ExpiresAt, (int)sessions.IdleTimeout.TotalSeconds));
    }

    private static SessionView ViewOf(ClaimsPrincipal user, AdminSessions sessions)
    {
        var expires = user.FindFirst(ClaimTypes.Expiration)?.Value is { } text ? DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        return new SessionView(
            user.Identity?.Name ?? string.Empty,
            user.FindFirst(ClaimTypes.Role)?.Value ?? string.Empty,
            user.FindFirst(AdminClaims.CsrfToken)?.Value,
            expires,
            (int)sessions.IdleTimeout.TotalSeconds);
    }

    private static IResult SignInRefused() => Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Sign-in refused",
        detail: "The user name or password is not valid, or the account is locked or disabled.");

    public sealed record SignInRequest(string? Username, string? Password);

    public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
}
