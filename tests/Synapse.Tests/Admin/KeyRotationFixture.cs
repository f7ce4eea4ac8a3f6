using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Tests.Console;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Admin;

/// <summary>
/// A gateway of its own whose clock the rotation tests move (<see cref="ShiftedClock"/>): an
/// overlap of an hour ends without anyone waiting an hour, and no other test sees the jump.
/// </summary>
public sealed class KeyRotationFixture : IAsyncLifetime
{
    public const string Model = "llama3";

    public ShiftedClock Clock { get; } = new();

    public MockOpenAiUpstream Upstream { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", Upstream.BaseUrl, "on-prem", Model);
        settings["Synapse:KeyAuthentication:FailureLimit"] = "100000";
        Gateway = await GatewayHost.StartAsync(settings, services: s => s.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>Creates an account with the admin token and signs it in.</summary>
    public async Task<ConsoleSession> AccountAsync(string role)
    {
        var username = role + "-" + Guid.NewGuid().ToString("N")[..8];
        const string password = "a long enough password";
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
public sealed class KeyRotationCollection : ICollectionFixture<KeyRotationFixture>
{
    public const string Name = "key-rotation";
}
