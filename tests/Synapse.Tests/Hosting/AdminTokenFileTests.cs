using System.Net;
using System.Security.Cryptography;
using System.Text;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Hosting;

/// <summary>
/// The all-in-one keeps what proves its generated admin token in the data directory, beside the
/// database: someone who can write that directory (but not the audit key directory) must not be
/// able to make a token of their choosing the admin token by rewriting the file.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AdminTokenFileTests
{
    private const string ChosenToken = "synadm-chosen-by-whoever-writes-the-data-directory";

    [Fact]
    public async Task AKeptTokenFileRewrittenWithTheHashOfAChosenToken_DoesNotMakeThatTokenTheAdminToken()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?> { ["Synapse:Admin:Token"] = string.Empty };
        await using (await GatewayHost.StartAsync(settings, dataDirectory))
        {
            await Eventually.ValueAsync(() => KeptTokenFiles(dataDirectory), files => files.Length > 0);
        }

        // Whatever the release keeps, and the name earlier releases kept: both now hold the chosen token's SHA-256.
        var forged = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ChosenToken)));
        foreach (var file in KeptTokenFiles(dataDirectory).Append(Path.Combine(dataDirectory, "admin-token.sha256")).Distinct())
        {
            await File.WriteAllTextAsync(file, forged);
        }

        await using var gateway = await GatewayHost.StartAsync(settings, dataDirectory);
        using var attacker = new HttpClient { BaseAddress = gateway.BaseAddress };
        attacker.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ChosenToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/admin/api/teams")).StatusCode);
    }

    private static string[] KeptTokenFiles(string dataDirectory) =>
        Directory.Exists(dataDirectory) ? Directory.GetFiles(dataDirectory, "admin-token.*") : [];
}
