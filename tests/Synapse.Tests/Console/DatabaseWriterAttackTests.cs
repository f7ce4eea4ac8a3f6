using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Synapse.Persistence.Accounts;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>
/// Someone who can write the database file (but not the audit key directory) edits the admin
/// accounts and sessions with SQL: every such edit grants nothing (docs/security.md, "A database
/// or data-directory writer"). Each test first shows the same path working for the real owner.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ConsoleGatewayCollection.Name)]
public sealed class DatabaseWriterAttackTests(ConsoleGatewayFixture fixture)
{
    private const string AttackerPassword = "the attacker's own password";

    private GatewayHost Gateway => fixture.Gateway;

    private SynapseDatabase Database => (SynapseDatabase)Gateway.Services.GetService(typeof(SynapseDatabase))!;

    [Fact]
    public async Task AnAuditorPromotedToAdminBySql_GetsNoAdminRights_NeitherInItsSessionNorAtSignIn()
    {
        const string password = "the auditor's password";
        using var auditor = await fixture.AccountAsync("auditor", password);
        Assert.Equal(HttpStatusCode.OK, (await auditor.Http.GetAsync("/admin/api/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.Http.GetAsync("/admin/api/accounts")).StatusCode);

        await Database.ExecuteAsync($"UPDATE admin_accounts SET role = 'admin' WHERE username = '{auditor.Username}'");

        Assert.Equal(HttpStatusCode.Unauthorized, (await auditor.Http.GetAsync("/admin/api/accounts")).StatusCode);
        using var again = await ConsoleSession.SignInAsync(Gateway.BaseAddress, auditor.Username!, password);
        Assert.Equal(HttpStatusCode.Unauthorized, again.SignIn.StatusCode);
    }

    [Fact]
    public async Task APasswordHashReplacedBySql_DoesNotLetTheAttackersPasswordIn()
    {
        using var victim = await fixture.AccountAsync("admin");
        var forged = new PasswordHasher<AdminAccount>().HashPassword(null!, AttackerPassword);

        await Database.ExecuteAsync($"UPDATE admin_accounts SET password_hash = '{forged}' WHERE username = '{victim.Username}'");

        using var attacker = await ConsoleSession.SignInAsync(Gateway.BaseAddress, victim.Username!, AttackerPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, attacker.SignIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await victim.Http.GetAsync("/admin/api/teams")).StatusCode);
    }

    [Fact]
    public async Task ADisabledAccountReenabledBySql_StaysRefused()
    {
        const string password = "a disabled account's password";
        using var account = await fixture.AccountAsync("admin", password);
        (await Gateway.Admin.PatchAsJsonAsync($"/admin/api/accounts/{account.Username}", new { disabled = true })).EnsureSuccessStatusCode();
        using var refused = await ConsoleSession.SignInAsync(Gateway.BaseAddress, account.Username!, password);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.SignIn.StatusCode);

        await Database.ExecuteAsync($"UPDATE admin_accounts SET disabled = 0 WHERE username = '{account.Username}'");

        using var again = await ConsoleSession.SignInAsync(Gateway.BaseAddress, account.Username!, password);
        Assert.Equal(HttpStatusCode.Unauthorized, again.SignIn.StatusCode);
    }

    [Fact]
    public async Task ASessionRowForgedWithTheHashOfAChosenId_SignsNobodyIn()
    {
        var id = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var idHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Database.ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO admin_sessions (id_hash, username, created_at, last_seen_at, expires_at) VALUES ('{idHash}', '{ConsoleGatewayFixture.RootUser}', {now}, {now}, {now + 3_600_000})"));

        using var http = new HttpClient { BaseAddress = Gateway.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/api/accounts");
        request.Headers.Add("Cookie", "synapse-session=" + id);
        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ASessionRowMovedToAnotherAccountBySql_SignsNobodyIn()
    {
        using var auditor = await fixture.AccountAsync("auditor");
        Assert.Equal(HttpStatusCode.OK, (await auditor.Http.GetAsync("/admin/api/session")).StatusCode);

        await Database.ExecuteAsync($"UPDATE admin_sessions SET username = '{ConsoleGatewayFixture.RootUser}' WHERE username = '{auditor.Username}'");

        Assert.Equal(HttpStatusCode.Unauthorized, (await auditor.Http.GetAsync("/admin/api/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await auditor.Http.GetAsync("/admin/api/session")).StatusCode);
    }

    [Fact]
    public async Task AnAccountRowInsertedBySql_CannotSignIn()
    {
        var name = "inserted-" + Guid.NewGuid().ToString("N")[..8];
        var forged = new PasswordHasher<AdminAccount>().HashPassword(null!, AttackerPassword);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Database.ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO admin_accounts (username, password_hash, role, disabled, failed_sign_ins, locked_until, created_at, updated_at) VALUES ('{name}', '{forged}', 'admin', 0, 0, NULL, {now}, {now})"));

        using var attacker = await ConsoleSession.SignInAsync(Gateway.BaseAddress, name, AttackerPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, attacker.SignIn.StatusCode);
    }

    [Fact]
    public async Task AnAccountWhoseSealWasCleared_GrantsNothing_AndOnlyAResetWithPasswordAndRoleRepairsIt()
    {
        const string password = "the owner's password";
        using var account = await fixture.AccountAsync("admin", password);
        var path = $"/admin/api/accounts/{account.Username}";

        await Database.ExecuteAsync($"UPDATE admin_accounts SET seal = NULL WHERE username = '{account.Username}'");

        using var refused = await ConsoleSession.SignInAsync(Gateway.BaseAddress, account.Username!, password);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.SignIn.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Gateway.Admin.PatchAsJsonAsync(path, new { disabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Gateway.Admin.PatchAsJsonAsync(path, new { password = "a new password chosen now" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Gateway.Admin.PatchAsJsonAsync(path, new { role = "admin" })).StatusCode);

        var reset = await Gateway.Admin.PatchAsJsonAsync(path, new { password = "a new password chosen now", role = "auditor" });

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var view = (await reset.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("auditor", view["role"]!.GetValue<string>());
        Assert.False(view["broken"]!.GetValue<bool>());
        using var again = await ConsoleSession.SignInAsync(Gateway.BaseAddress, account.Username!, "a new password chosen now");
        Assert.Equal(HttpStatusCode.OK, again.SignIn.StatusCode);
        Assert.Equal("auditor", again.Body!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task AFakeEnabledAdminInsertedBySql_DoesNotCountAsTheLastAdmin()
    {
        using var only = await fixture.AccountAsync("admin");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Database.ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO admin_accounts (username, password_hash, role, disabled, failed_sign_ins, locked_until, created_at, updated_at) VALUES ('fake-{Guid.NewGuid():N}', 'x', 'admin', 0, 0, NULL, {now}, {now})"));

        // Every real admin but one disabled: the last is refused though the fake row claims to be an enabled admin.
        var admins = (await Gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/api/accounts"))!.Select(a => a!.AsObject())
            .Where(a => a["role"]?.GetValue<string>() == "admin" && !a["disabled"]!.GetValue<bool>()).Select(a => a["username"]!.GetValue<string>()).ToList();
        var refusals = 0;
        var disabled = new List<string>();
        foreach (var name in admins)
        {
            var response = await Gateway.Admin.PatchAsJsonAsync($"/admin/api/accounts/{name}", new { disabled = true });
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                refusals++;
            }
            else
            {
                disabled.Add(name);
            }
        }

        foreach (var name in disabled)
        {
            (await Gateway.Admin.PatchAsJsonAsync($"/admin/api/accounts/{name}", new { disabled = false })).EnsureSuccessStatusCode();
        }

        Assert.Equal(1, refusals);
    }

    [Fact]
    public async Task AnAccountWhoseRowWasEdited_IsListedAsBroken_NotWithTheForgedRole()
    {
        using var auditor = await fixture.AccountAsync("auditor");

        await Database.ExecuteAsync($"UPDATE admin_accounts SET role = 'admin' WHERE username = '{auditor.Username}'");

        var listed = (await Gateway.Admin.GetFromJsonAsync<JsonArray>("/admin/api/accounts"))!.Select(a => a!.AsObject()).Single(a => a["username"]!.GetValue<string>() == auditor.Username);
        Assert.True(listed["broken"]?.GetValue<bool>());
        Assert.Null(listed["role"]);
        var one = await Gateway.Admin.GetFromJsonAsync<JsonObject>($"/admin/api/accounts/{auditor.Username}");
        Assert.True(one!["broken"]?.GetValue<bool>());
    }
}
