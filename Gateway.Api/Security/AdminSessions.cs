using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Security;

/// <summary>
/// Console sessions: a random 256-bit id in an HttpOnly, SameSite=Strict cookie (<c>__Host-</c>
/// prefixed and Secure over HTTPS), stored in the database as its HMAC only (<see cref="AccountSeals"/>:
/// a database writer can neither compute the row for an id of their choosing nor move a row to
/// another account), checked on every
/// request against idle and absolute timeouts and the account's current role and state. The
/// antiforgery token is derived from the id, so it needs no storage and changes with the session.
/// </summary>
public sealed class AdminSessions(AdminAccountStore store, AccountSeals seals, IOptions<AdminSecurityOptions> options, TimeProvider timeProvider)
{
    public const string CookieName = "synapse-session";
    public const string SecureCookieName = "__Host-synapse-session";
    public const string CsrfHeader = "X-CSRF-Token";

    // Writing last_seen_at on every request would make every read a write; a minute of slack on
    // the idle timeout is the price.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public TimeSpan IdleTimeout { get; } = TimeSpan.FromMinutes(options.Value.SessionIdleMinutes);

    public TimeSpan AbsoluteTimeout { get; } = TimeSpan.FromHours(options.Value.SessionAbsoluteHours);

    public async Task<IssuedSession> StartAsync(AdminAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = timeProvider.GetUtcNow();
        var session = new AdminSession(HashOf(id), account.Username, now, now, now + AbsoluteTimeout);
        await store.CreateSessionAsync(session, now - IdleTimeout, cancellationToken).ConfigureAwait(false);
        return new IssuedSession(id, CsrfTokenOf(id), account.Username, account.Role, session.ExpiresAt);
    }

    /// <summary>The identity of a live session, or null when it is unknown, expired, idle too long or its account is disabled.</summary>
    public async Task<ClaimsIdentity?> ValidateAsync(string sessionId, string scheme, CancellationToken cancellationToken)
    {
        if (sessionId.Length is < 40 or > 64)
        {
            return null;
        }

        var hash = HashOf(sessionId);
        if (await store.FindSessionAsync(hash, cancellationToken).ConfigureAwait(false) is not var (session, account))
        {
            return null;
        }

        var now = timeProvider.GetUtcNow();
        if (now >= session.ExpiresAt || now - session.LastSeenAt >= IdleTimeout || account.Disabled || !AdminRoles.IsKnown(account.Role))
        {
            return null;
        }

        if (now - session.LastSeenAt >= TouchInterval)
        {
            await store.TouchSessionAsync(hash, now, cancellationToken).ConfigureAwait(false);
        }

        return new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, account.Username),
                new Claim(ClaimTypes.Role, account.Role),
                new Claim(AdminClaims.SessionHash, hash),
                new Claim(AdminClaims.CsrfToken, CsrfTokenOf(sessionId)),
                new Claim(ClaimTypes.Expiration, session.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            ],
            scheme);
    }

    public Task<bool> EndAsync(string sessionHash, CancellationToken cancellationToken) => store.DeleteSessionAsync(sessionHash, cancellationToken);

    public static string? ReadCookie(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Cookies.TryGetValue(SecureCookieName, out var secure) && secure is { Length: > 0 } ? secure
            : request.Cookies.TryGetValue(CookieName, out var plain) && plain is { Length: > 0 } ? plain
            : null;
    }

    public static void WriteCookie(HttpContext context, IssuedSession session)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        context.Response.Cookies.Append(NameFor(context), session.Id, CookieOptions(context, session.ExpiresAt));
    }

    public static void ClearCookie(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(NameFor(context), CookieOptions(context, expires: null));
    }

    public static string CsrfTokenOf(string sessionId) =>
        Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes("synapse-admin-csrf-v1\n" + sessionId)));

    private string HashOf(string sessionId) => seals.SessionIdHash(sessionId);

    private static string NameFor(HttpContext context) => context.Request.IsHttps ? SecureCookieName : CookieName;

    // "__Host-" demands Secure and Path=/; the same path over plain HTTP keeps one behaviour.
    private static CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
