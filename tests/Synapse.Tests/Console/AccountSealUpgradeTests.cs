using System.Net;
using System.Net.Http.Json;
using Synapse.Gateway.Security;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>
/// Accounts an earlier release wrote have no seal: the first start of this release seals them once
/// and records that in the audit key directory; after that, a row without a seal grants nothing.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AccountSealUpgradeTests
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task AccountsOfAnEarlierRelease_AreSealedAtTheFirstStart_AndSignInWithTheirRoles()
    {
        var dataDirectory = NewDataDirectory();
        await using (var first = await GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory))
        {
            await SetUpAsync(first);

            // What an earlier release left: no seal columns, and no marker of the upgrade.
            var database = (SynapseDatabase)first.Services.GetService(typeof(SynapseDatabase))!;
            await database.ExecuteAsync("ALTER TABLE admin_accounts DROP COLUMN seal");
            await database.ExecuteAsync("ALTER TABLE admin_sessions DROP COLUMN seal");
        }

        File.Delete(Marker(dataDirectory));

        await using var upgraded = await GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory);
        using var root = await ConsoleSession.SignInAsync(upgraded.BaseAddress, "root", Password);
        using var auditor = await ConsoleSession.SignInAsync(upgraded.BaseAddress, "reader", Password);

        Assert.Equal(HttpStatusCode.OK, root.SignIn.StatusCode);
        Assert.Equal("admin", root.Body!["role"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, auditor.SignIn.StatusCode);
        Assert.Equal("auditor", auditor.Body!["role"]!.GetValue<string>());
        Assert.True(File.Exists(Marker(dataDirectory)));
    }

    [Fact]
    public async Task OnceTheUpgradeIsRecorded_ARestartDoesNotSealARowWhoseSealWasCleared()
    {
        var dataDirectory = NewDataDirectory();
        await using (var first = await GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory))
        {
            await SetUpAsync(first);
            Assert.True(File.Exists(Marker(dataDirectory)));
            var database = (SynapseDatabase)first.Services.GetService(typeof(SynapseDatabase))!;
            await database.ExecuteAsync("UPDATE admin_accounts SET seal = NULL, role = 'admin' WHERE username = 'reader'");
        }

        await using var restarted = await GatewayHost.StartAsync(new Dictionary<string, string?>(), dataDirectory);
        using var reader = await ConsoleSession.SignInAsync(restarted.BaseAddress, "reader", Password);
        using var root = await ConsoleSession.SignInAsync(restarted.BaseAddress, "root", Password);

        Assert.Equal(HttpStatusCode.Unauthorized, reader.SignIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, root.SignIn.StatusCode);
    }

    private static async Task SetUpAsync(GatewayHost gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        (await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "root", password = Password })).EnsureSuccessStatusCode();
        (await gateway.Admin.PostAsJsonAsync("/admin/api/accounts", new { username = "reader", password = Password, role = "auditor" })).EnsureSuccessStatusCode();
    }

    // GatewayHost keeps the audit keys in "{data directory}-keys".
    private static string Marker(string dataDirectory) => Path.Combine(dataDirectory + "-keys", AccountSealUpgrade.MarkerFileName);

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
}
