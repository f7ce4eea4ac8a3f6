using System.Net;
using System.Text.RegularExpressions;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Hosting;

/// <summary>
/// The single-container path's first step: an all-in-one gateway started without an admin token
/// prints the one it generates, on a line that README's <c>docker logs … | grep -i "admin token"</c>
/// finds, and that token opens the admin API.
/// </summary>
[Trait("Category", "Slow")]
public sealed class GeneratedAdminTokenTests
{
    [Fact]
    public async Task AnAllInOneStartedWithoutAToken_PrintsTheGeneratedToken_OnALineNamingIt_AndTheTokenWorks()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?> { ["Synapse:Admin:Token"] = string.Empty });

        // What `grep -i "admin token"` keeps of the output (read as the process writes it).
        var grepped = await Eventually.ValueAsync(
            () => gateway.Output.Split('\n').Where(line => line.Contains("admin token", StringComparison.OrdinalIgnoreCase)).ToList(),
            lines => lines.Any(line => line.Contains("synadm-", StringComparison.Ordinal)));
        var token = grepped.Select(line => Regex.Match(line, @"\bsynadm-[0-9a-f]{48}\b")).Single(m => m.Success).Value;
        using var admin = new HttpClient { BaseAddress = gateway.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var wrong = new HttpClient { BaseAddress = gateway.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "synadm-" + new string('0', 48));

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/api/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/admin/api/teams")).StatusCode);
    }
}
