using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

[Trait("Category", "Slow")]
[Collection(ConsoleGatewayCollection.Name)]
public sealed class AccountsAndSessionsTests(ConsoleGatewayFixture fixture)
{
    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task Setup_AfterTheFirstAccount_Is409_AndAWrongTokenIs401()
    {
        using var http = new HttpClient { BaseAddress = Gateway.BaseAddress };

        var again = await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "second", password = "another long password" });
        var wrong = await http.PostAsJsonAsync("/admin/api/setup", new { token = "not-the-token-0123456789", username = "third", password = "another long password" });
        var state = await http.GetFromJsonAsync<JsonObject>("/admin/api/setup");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(state!["required"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Setup_OnAFreshGateway_CreatesTheFirstAdmin_AndRefusesShortPasswords()
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>());
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        Assert.True((await http.GetFromJsonAsync<JsonObject>("/admin/api/setup"))!["required"]!.GetValue<bool>());

        var tooShort = await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "first", password = "short" });
        var created = await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "First", password = "twelve chars!" });

        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("password", (await tooShort.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("first", account["username"]!.GetValue<string>());
        Assert.Equal("admin", account["role"]!.GetValue<string>());
        Assert.DoesNotContain("password", account.Select(p => p.Key), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_SetsAnHttpOnlyStrictCookie_AndReturnsTheCsrfToken()
    {
        using var session = await ConsoleSession.SignInAsync(Gateway.BaseAddress, ConsoleGatewayFixture.RootUser, ConsoleGatewayFixture.RootPassword);

        Assert.Equal(HttpStatusCode.OK, session.SignIn.StatusCode);
        var cookie = Assert.Single(session.SignIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("synapse-session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        var body = session.Body!;
        Assert.Equal("root", body["username"]!.GetValue<string>());
        Assert.Equal("admin", body["role"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(session.CsrfToken));
        Assert.DoesNotContain(session.CsrfToken!, cookie, StringComparison.Ordinal);

        var current = await session.Http.GetFromJsonAsync<JsonObject>("/admin/api/session");
        Assert.Equal(session.CsrfToken, current!["csrfToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongPasswordsAndUnknownNames_GetTheSameRefusal_AndAreAudited()
    {
        using var admin = await fixture.AccountAsync("admin");
        var name = await NameOfAsync(admin);
        using var http = new HttpClient { BaseAddress = Gateway.BaseAddress };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("sign-in-test/1.0");

        var wrong = await http.PostAsJsonAsync("/admin/api/session", new { username = name, password = "not the password" });
        var unknown = await http.PostAsJsonAsync("/admin/api/session", new { username = "nobody-" + Guid.NewGuid().ToString("N")[..6], password = "not the password" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(
            (await wrong.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(),
            (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        var events = await AdminEventsAsync("session.create");
        var failed = events.First(e => e["actor"]?.GetValue<string>() == name && e["outcome"]!.GetValue<string>() == "failed");
        Assert.Equal("127.0.0.1", failed["clientAddress"]!.GetValue<string>());
        Assert.Equal("sign-in-test/1.0", failed["userAgent"]!.GetValue<string>());
        Assert.Contains("wrong_password", failed["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(events, e => e["actor"] is null && e["detail"]?.GetValue<string>().Contains("unknown_account", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task RepeatedWrongPasswords_LockTheAccount_EvenForTheRightPassword()
    {
        const string password = "the right password";
        using var victim = await fixture.AccountAsync("auditor", password);
        var name = await NameOfAsync(victim);
        using var http = new HttpClient { BaseAddress = Gateway.BaseAddress };
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/admin/api/session", new { username = name, password = "wrong password " + i })).StatusCode);
        }

        var right = await http.PostAsJsonAsync("/admin/api/session", new { username = name, password });
        var account = await Gateway.Admin.GetFromJsonAsync<JsonObject>($"/admin/api/accounts/{name}");

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.NotNull(account!["lockedUntil"]);
    }

    [Fact]
    public async Task UnsafeMethodsWithTheCookie_NeedTheCsrfToken()
    {
        using var admin = await fixture.AccountAsync("admin");

        var without = await admin.SendAsync(HttpMethod.Post, "/admin/api/teams", new { name = "csrf-" + Guid.NewGuid().ToString("N")[..6] }, withCsrf: false);
        var forged = await SendWithTokenAsync(admin, "not-the-token");
        var with = await admin.SendAsync(HttpMethod.Post, "/admin/api/teams", new { name = "csrf-" + Guid.NewGuid().ToString("N")[..6] });

        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        Assert.Equal("csrf_token_invalid", (await without.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Created, with.StatusCode);
    }

    [Fact]
    public async Task SignOut_RevokesTheSession_SoTheOldCookieGets401()
    {
        using var admin = await fixture.AccountAsync("admin");
        var cookie = admin.CookieHeader(Gateway.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/admin/api/session")).StatusCode);

        var signOut = await admin.SendAsync(HttpMethod.Delete, "/admin/api/session");
        using var replay = new HttpClient { BaseAddress = Gateway.BaseAddress };
        replay.DefaultRequestHeaders.Add("Cookie", cookie);
        var after = await replay.GetAsync("/admin/api/teams");

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("role")]
    [InlineData("disabled")]
    [InlineData("password")]
    public async Task ChangingAnAccount_EndsItsSessions(string change)
    {
        using var target = await fixture.AccountAsync("admin");
        var name = await NameOfAsync(target);
        object body = change switch
        {
            "role" => new { role = "auditor" },
            "disabled" => new { disabled = true },
            _ => new { password = "a brand new password" },
        };

        var response = await Gateway.Admin.PatchAsJsonAsync($"/admin/api/accounts/{name}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await target.Http.GetAsync("/admin/api/session")).StatusCode);
        var changed = (await AdminEventsAsync("account.update")).First(e => e["target"]?.GetValue<string>() == name && e["outcome"]!.GetValue<string>() == "succeeded");
        Assert.Equal("token", changed["actor"]!.GetValue<string>());
        var detail = JsonNode.Parse(changed["detail"]!.GetValue<string>())!;
        Assert.NotNull(detail["before"]);
        Assert.NotNull(detail["after"]);
        Assert.DoesNotContain("a brand new password", changed.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", changed.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingOwnPassword_NeedsTheCurrentOne_AndStartsAFreshSession()
    {
        const string password = "my first password";
        using var user = await fixture.AccountAsync("auditor", password);
        var name = await NameOfAsync(user);
        using var other = await ConsoleSession.SignInAsync(Gateway.BaseAddress, name, password);

        var wrong = await user.SendAsync(HttpMethod.Put, "/admin/api/session/password", new { currentPassword = "not it at all", newPassword = "my second password" });
        var right = await user.SendAsync(HttpMethod.Put, "/admin/api/session/password", new { currentPassword = password, newPassword = "my second password" });

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.Http.GetAsync("/admin/api/session")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/admin/api/session")).StatusCode);
        using var again = await ConsoleSession.SignInAsync(Gateway.BaseAddress, name, "my second password");
        Assert.Equal(HttpStatusCode.OK, again.SignIn.StatusCode);
    }

    [Fact]
    public async Task TheLastEnabledAdmin_CannotBeDemotedOrDisabled()
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>());
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        (await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "only", password = "the only admin here" })).EnsureSuccessStatusCode();

        var demote = await gateway.Admin.PatchAsJsonAsync("/admin/api/accounts/only", new { role = "auditor" });
        var disable = await gateway.Admin.PatchAsJsonAsync("/admin/api/accounts/only", new { disabled = true });

        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
        Assert.Equal("admin", (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/accounts/only"))!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnIdleSession_Expires()
    {
        using var user = await fixture.AccountAsync("auditor");
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/admin/api/session")).StatusCode);

        // Time passing for this session alone: its last use moves back past the idle timeout (30 min).
        var database = (SynapseDatabase)Gateway.Services.GetService(typeof(SynapseDatabase))!;
        await DatabaseCommands.ExecuteAsync(database, "UPDATE admin_sessions SET last_seen_at = last_seen_at - 1900000 WHERE username = '" + await NameOfAsync(user) + "'");

        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Http.GetAsync("/admin/api/session")).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendWithTokenAsync(ConsoleSession session, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/teams") { Content = JsonContent.Create(new { name = "x-" + Guid.NewGuid().ToString("N")[..6] }) };
        request.Headers.Add("X-CSRF-Token", token);
        return await session.Http.SendAsync(request);
    }

    private static Task<string> NameOfAsync(ConsoleSession session) => Task.FromResult(session.Username!);

    private async Task<List<JsonObject>> AdminEventsAsync(string action)
    {
        var page = await Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?kind=admin&limit=1000");
        return [.. page!["items"]!.AsArray().Select(e => e!.AsObject()).Where(e => e["action"]?.GetValue<string>() == action)];
    }
}
