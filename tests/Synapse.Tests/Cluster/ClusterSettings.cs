using System.Security.Cryptography;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>The settings every silo and front end of one throwaway test cluster shares.</summary>
internal static class ClusterSettings
{
    /// <summary>A fresh database and cluster id, shared audit keys, and one on-prem provider serving <c>llama3</c>.</summary>
    public static async Task<Dictionary<string, string?>> CreateAsync(PostgresServer postgres, MockOpenAiUpstream upstream)
    {
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3");
        settings["ConnectionStrings:Postgres"] = await postgres.CreateUniqueDatabaseAsync("cluster");
        settings["Synapse:Orleans:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8];

        // A cluster shares its audit keys: every silo digests and signs with the same ones.
        settings["Synapse:Audit:HashKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["Synapse:Audit:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return settings;
    }

    /// <summary>The same settings for a client-mode front end.</summary>
    public static Dictionary<string, string?> FrontEnd(IDictionary<string, string?> settings) => new(settings) { ["Synapse:Mode"] = "client" };
}
