using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Synapse.Gateway.Security;
using Synapse.Hosting;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Hosting;

/// <summary>
/// The single-container path's first step: an all-in-one gateway started without an admin token
/// prints the one it generates, on a line that README's <c>docker logs … | grep -i "admin token"</c>
/// finds, and that token opens the admin API; a first start that fails keeps no token, so the next
/// start still prints one.
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

    [Fact]
    public async Task AFirstStartThatFails_NeitherPrintsNorKeepsAToken_AndTheNextStartPrintsOne()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture)}",
            ["Synapse:DataDirectory"] = dataDirectory,
            ["Synapse:Admin:Token"] = string.Empty,
            ["Synapse:Orleans:Dashboard"] = "false",
            ["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        };

        var (exitCode, output, errors) = await ChildProcess.RunAsync(GatewayProcess.Assembly, settings, dataDirectory);

        Assert.True(exitCode == HostRun.PortTakenExitCode, $"exit code {exitCode}: {output}{errors}");
        Assert.DoesNotContain("synadm-", output + errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDirectory, AdminCredential.HashFileName)));

        settings.Remove("urls");
        settings["Synapse:Orleans:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        settings["Synapse:Orleans:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        await using var gateway = await GatewayProcess.StartAsync(settings);
        var printed = await Eventually.ValueAsync(() => gateway.Output, o => o.Contains("Admin token: synadm-", StringComparison.Ordinal));
        Assert.Matches(@"Admin token: synadm-[0-9a-f]{48}\b", printed);
        Assert.True(File.Exists(Path.Combine(dataDirectory, AdminCredential.HashFileName)));
    }

    [Fact]
    public async Task ATokenHashKeptByAnEarlierRelease_IsNotBelieved_AndANewTokenIsPrintedThatWorks()
    {
        const string oldToken = "synadm-the-token-an-earlier-release-generated";
        var dataDirectory = Path.Combine(Path.GetTempPath(), "synapse-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var legacyFile = Path.Combine(dataDirectory, AdminCredential.LegacyHashFileName);
        await File.WriteAllTextAsync(legacyFile, Synapse.Keys.ApiKeySecrets.Hash(oldToken));

        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Synapse:DataDirectory"] = dataDirectory,
            ["Synapse:Admin:Token"] = string.Empty,
        });
        var printed = await Eventually.ValueAsync(() => gateway.Output, o => o.Contains("Admin token: synadm-", StringComparison.Ordinal));
        var token = Regex.Match(printed, @"Admin token: (synadm-[0-9a-f]{48})\b").Groups[1].Value;
        using var admin = new HttpClient { BaseAddress = gateway.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var old = new HttpClient { BaseAddress = gateway.BaseAddress };
        old.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", oldToken);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/api/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/admin/api/teams")).StatusCode);
        Assert.Contains("replaces the admin token of an earlier release", printed, StringComparison.Ordinal);
        Assert.False(File.Exists(legacyFile));
        Assert.DoesNotContain(Synapse.Keys.ApiKeySecrets.Hash(token), await File.ReadAllTextAsync(Path.Combine(dataDirectory, AdminCredential.HashFileName)), StringComparison.Ordinal);
    }
}
