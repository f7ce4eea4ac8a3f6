using Microsoft.Extensions.DependencyInjection;
using Synapse.Audit;
using Synapse.Hosting;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Hosting;

/// <summary>
/// Once a process listens it logs one line of what its settings amounted to — role, addresses,
/// database, providers and where each may take data, how the audit log fails, where the signed
/// checkpoints go, the console — and never a secret: no connection string, provider URL or key.
/// </summary>
public sealed class StartupSummaryTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task AnAllInOneGateway_SaysWhatItRuns_OnceListening_WithoutASecret()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Synapse.Hosting.StartupSummary"] = "Information",
            ["Synapse:Providers:local:Type"] = "openai",
            ["Synapse:Providers:local:BaseUrl"] = "http://svc-user:url-password@127.0.0.1:9/v1",
            ["Synapse:Providers:local:Location"] = "on-prem",
            ["Synapse:Providers:local:Models:0"] = "llama3",
            ["Synapse:Providers:claude:Type"] = "anthropic",
            ["Synapse:Providers:claude:ApiKey"] = "sk-ant-provider-secret",
            ["Synapse:Providers:claude:Location"] = "cloud",
            ["Synapse:Providers:claude:Models:0"] = "claude-sonnet-4",
            ["Synapse:Providers:claude:Models:1"] = "claude-haiku-4",
            ["pathbase"] = "/gw",
        });

        var line = await Eventually.ValueAsync(
            () => gateway.Output.Split('\n').FirstOrDefault(l => l.Contains("Synapse all-in-one started:", StringComparison.Ordinal)),
            found => found is not null);
        var dataDirectory = gateway.Settings["Synapse:DataDirectory"]!;

        Assert.Contains($"listening on {gateway.BaseAddress.ToString().TrimEnd('/')}", line, StringComparison.Ordinal);
        Assert.Contains($"database SQLite {Path.Combine(dataDirectory, SynapseDatabase.SqliteFileName)}", line, StringComparison.Ordinal);
        Assert.Contains("providers claude (anthropic, cloud, 2 models), local (openai, on-prem, 1 model)", line, StringComparison.Ordinal);
        Assert.Contains($"audit fails closed, signed checkpoints in {Path.Combine(dataDirectory, "audit-checkpoints")}", line, StringComparison.Ordinal);
        Assert.EndsWith("admin console at /gw/admin", line!.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("url-password", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("svc-user", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-provider-secret", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSQL_IsNamedByHostPortAndDatabase_NeverItsPassword()
    {
        var database = new SynapseDatabase(DatabaseEngine.Postgres, "Host=db.internal;Port=5433;Database=synapse;Username=gateway;Password=hunter2-db");

        Assert.Equal("PostgreSQL db.internal:5433/synapse", StartupSummary.Where(database));
    }

    [Fact]
    public void AnAuditLogThatFailsOpen_IsSaidLoudly_AndAFrontEndWithoutProviders_SaysTheSilosHaveThem()
    {
        var services = new ServiceCollection().AddSingleton(new AuditOptions { FailOpen = true }).BuildServiceProvider();

        var summary = StartupSummary.Describe(services);

        Assert.Equal("providers as the silos have them; audit FAILS OPEN (Synapse:Audit:FailOpen: requests pass while their event cannot be stored)", summary);
    }
}
