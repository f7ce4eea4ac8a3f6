using System.Net.Http.Json;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>A gateway whose first admin account (<see cref="RootUser"/>) was made through setup.</summary>
public sealed class ConsoleGatewayFixture : IAsyncLifetime
{
    public const string RootUser = "root";
    public const string RootPassword = "correct horse battery";

    public MockOpenAiUpstream Upstream { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await MockOpenAiUpstream.StartAsync();
        Gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", Upstream.BaseUrl, "on-prem", "llama3"));
        using var http = new HttpClient { BaseAddress = Gateway.BaseAddress };
        (await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = RootUser, password = RootPassword })).EnsureSuccessStatusCode();
    }

    /// <summary>Creates an account with the admin token and signs it in.</summary>
    public async Task<ConsoleSession> AccountAsync(string role, string? password = null)
    {
        var username = role + "-" + Guid.NewGuid().ToString("N")[..8];
        password ??= "a long enough password";
        (await Gateway.Admin.PostAsJsonAsync("/admin/api/accounts", new { username, password, role })).EnsureSuccessStatusCode();
        var session = await ConsoleSession.SignInAsync(Gateway.BaseAddress, username, password);
        session.SignIn.EnsureSuccessStatusCode();
        return session;
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleGatewayCollection : ICollectionFixture<ConsoleGatewayFixture>
{
    public const string Name = "console-gateway";
}
