using Microsoft.Extensions.DependencyInjection;
using Synapse.Audit;
using Synapse.Gateway.Security;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A gateway for the tests of its edge (authentication failures, bad input, the fuzz test) with
/// short limits: 5 failed authentications per address and minute, bodies that must arrive within
/// 3 s and at 240 B/s after 2 s. Failure windows are written when a test flushes them.
/// </summary>
public sealed class EdgeGatewayFixture : IAsyncLifetime
{
    public const int FailureLimit = 5;
    public const string Model = GatewayFixture.OnPremModel;

    public MockOpenAiUpstream Upstream { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", Upstream.BaseUrl, "on-prem", Model, GatewayFixture.EmbeddingModel);
        settings["Synapse:KeyAuthentication:FailureLimit"] = FailureLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Synapse:KeyAuthentication:AuditWindowSeconds"] = "3600";
        settings["Synapse:RequestBody:TimeoutSeconds"] = "3";
        settings["Synapse:RequestBody:MinRateGraceSeconds"] = "2";
        settings["Synapse:MaxRequestBytes"] = "65536";
        Gateway = await GatewayHost.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    /// <summary>A key whose limits no test here reaches.</summary>
    public async Task<(string Id, string Secret)> CreateKeyAsync()
    {
        var (id, secret) = await Gateway.CreateKeyAsync([Model, GatewayFixture.EmbeddingModel]);
        var limits = new { requestsPerMinute = 1_000_000, tokensPerMinute = 100_000_000, maxConcurrentRequests = 1_000 };
        (await System.Net.Http.Json.HttpClientJsonExtensions.PutAsJsonAsync(Gateway.Admin, $"/admin/api/keys/{id}/limits", limits)).EnsureSuccessStatusCode();
        return (id, secret);
    }

    /// <summary>Writes the current failure window to the audit log now.</summary>
    public async Task FlushFailuresAsync() =>
        Assert.True(await Gateway.Services.GetRequiredService<FailedAuthenticationAuditor>().FlushAsync());

    /// <summary>Every audit row written since <paramref name="since"/>, oldest first.</summary>
    public async Task<List<AuditRecord>> AuditSinceAsync(DateTimeOffset since)
    {
        var store = Gateway.Services.GetRequiredService<IAuditStore>();
        var records = new List<AuditRecord>();
        long? before = null;
        while (true)
        {
            var page = await store.QueryAsync(new AuditQuery(From: since, BeforeId: before, Limit: 5_000), CancellationToken.None);
            records.AddRange(page.Select(r => r.Record));
            if (page.Count < 5_000)
            {
                records.Reverse();
                return records;
            }

            before = page[^1].Id;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EdgeGatewayCollection : ICollectionFixture<EdgeGatewayFixture>
{
    public const string Name = "edge-gateway";
}
