using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Audit;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>
/// Wrong admin credentials from one address: audited, then answered 429 — but a wrong guess never
/// locks out the right credential: behind a proxy every client shares one address, and whoever
/// could fail ten times would lock the operator out.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FailedAdminAuthenticationTests
{
    [Theory]
    [InlineData("/admin/api/teams", "Bearer")]
    [InlineData("/dashboard/", "Basic")]
    [InlineData("/admin/api/session", "Password")]
    public async Task AfterTheLimit_WrongCredentialsGet429_ButTheRightOneStillGetsIn(string path, string kind)
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Synapse:Admin:FailedAuthenticationLimit"] = "3",
            ["Synapse:Admin:FailedAuthenticationWindowSeconds"] = "600",

            // Five wrong passwords would lock the account itself: that lockout is not what is tested here.
            ["Synapse:Admin:MaxFailedSignIns"] = "10",
        });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        var setup = await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "boss", password = "a proper password" });
        Assert.True(setup.IsSuccessStatusCode, await setup.Content.ReadAsStringAsync());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await AttemptAsync(http, path, kind, right: false)).StatusCode);
        }

        var throttled = await AttemptAsync(http, path, kind, right: false);
        var again = await AttemptAsync(http, path, kind, right: false);
        var right = await AttemptAsync(http, path, kind, right: true);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.True(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("authentication_throttled", (await throttled.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);

        // Three failures audited one by one, the throttled rest as one row; never the token.
        var store = gateway.Services.GetRequiredService<IAuditStore>();
        var events = (await store.QueryAsync(new AuditQuery(Kind: "admin", Limit: 1000), CancellationToken.None)).Select(r => r.Record).ToList();
        var failed = events.Where(e => e.Outcome == "failed" && e.HttpStatus == 401).ToList();
        Assert.Equal(3, failed.Count);
        Assert.All(failed, e => Assert.Equal("127.0.0.1", e.ClientAddress));
        Assert.Single(events, e => e.Outcome == "throttled");
        Assert.DoesNotContain(events, e => System.Text.Json.JsonSerializer.Serialize(e).Contains(GatewayHost.AdminToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Setup_WithTheRightToken_WorksAfterWrongTokensFromTheSameAddress()
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Synapse:Admin:FailedAuthenticationLimit"] = "3",
            ["Synapse:Admin:SignInsPerMinute"] = "3",
        });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await http.PostAsJsonAsync("/admin/api/setup", new { token = "wrong-token-" + i, username = "boss", password = "a proper password" })).StatusCode);
        }

        var right = await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "boss", password = "a proper password" });

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }

    [Fact]
    public async Task WrongCurrentPasswords_OnAPasswordChange_CountAsFailedAuthentications_AndAreAudited()
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Synapse:Admin:FailedAuthenticationLimit"] = "3",
            ["Synapse:Admin:FailedAuthenticationWindowSeconds"] = "600",
        });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        (await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "boss", password = "a proper password" })).EnsureSuccessStatusCode();
        using var session = await ConsoleSession.SignInAsync(gateway.BaseAddress, "boss", "a proper password");
        session.SignIn.EnsureSuccessStatusCode();

        var wrong = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            wrong.Add((await session.SendAsync(HttpMethod.Put, "/admin/api/session/password", new { currentPassword = "a guess " + i, newPassword = "the attacker's password" })).StatusCode);
        }

        var right = await session.SendAsync(HttpMethod.Put, "/admin/api/session/password", new { currentPassword = "a proper password", newPassword = "the attacker's password" });

        // Counted under the account, not the address: whoever holds its session stops guessing,
        // even with the right password, while the address itself still signs in.
        using var sameAddress = await ConsoleSession.SignInAsync(gateway.BaseAddress, "boss", "a proper password");

        Assert.All(wrong, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal("authentication_throttled", (await right.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, sameAddress.SignIn.StatusCode);
        var store = gateway.Services.GetRequiredService<IAuditStore>();
        var events = (await store.QueryAsync(new AuditQuery(Kind: "admin", Limit: 1000), CancellationToken.None)).Select(r => r.Record).ToList();
        var failed = events.Where(e => e.Action == "account.password.change" && e.Outcome == "failed" && e.HttpStatus == 400).ToList();
        Assert.Equal(3, failed.Count);
        Assert.All(failed, e => Assert.Equal("""{"reason":"wrong_password"}""", e.Detail));
        Assert.Single(events, e => e.Action == "account.password.change" && e.Outcome == "throttled");
        Assert.DoesNotContain(events, e => System.Text.Json.JsonSerializer.Serialize(e).Contains("a guess", StringComparison.Ordinal));
    }

    [Fact]
    public async Task V1Requests_NeverRunTheAdminSchemes()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3");
        settings["Logging:LogLevel:Default"] = "Information";
        settings["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Trace";
        await using var gateway = await GatewayHost.StartAsync(settings);
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        var before = CapturedLogs.Lines.Count;

        using var client = gateway.ClientFor(secret);
        var ok = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "hi" } } });
        using var wrong = gateway.ClientFor("syn-not-a-key");
        var refused = await wrong.GetAsync("/v1/models");

        // The path ran: a served request and a refused one.
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var lines = CapturedLogs.Lines.Skip(before).ToList();
        Assert.DoesNotContain(lines, l => l.Contains("SynapseAdmin", StringComparison.Ordinal) || l.Contains("SynapseDashboard", StringComparison.Ordinal));
        var events = (await gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?kind=admin&limit=1000"))!["items"]!.AsArray();
        Assert.DoesNotContain(events, e => e!["action"]?.GetValue<string>()?.StartsWith("auth.", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task SignInAttempts_PastThePerMinuteLimit_Get429_BeforeTheirCredentialIsChecked_OrAudited()
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["Synapse:Admin:SignInsPerMinute"] = "3" });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        (await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "boss", password = "a proper password" })).EnsureSuccessStatusCode();
        var setupRows = await AdminEventCountAsync(gateway);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await http.PostAsJsonAsync("/admin/api/session", new { username = "boss", password = "wrong password" })).StatusCode);
        }

        var throttled = await http.PostAsJsonAsync("/admin/api/session", new { username = "boss", password = "a proper password" });

        // The path ran: the three attempts within the limit were checked and refused.
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var problem = (await throttled.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("sign_in_throttled", "Too many sign-in attempts"), (problem["code"]!.GetValue<string>(), problem["title"]!.GetValue<string>()));
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem["type"]!.GetValue<string>());
        Assert.False(throttled.Headers.Contains("Set-Cookie"));
        var store = gateway.Services.GetRequiredService<IAuditStore>();
        var events = (await store.QueryAsync(new AuditQuery(Kind: "admin", Limit: 1000), CancellationToken.None)).Select(r => r.Record).ToList();
        Assert.Equal(setupRows + 3, events.Count);
        Assert.Equal(3, events.Count(e => e.HttpStatus == 401));
        Assert.DoesNotContain(events, e => e.HttpStatus == 429 || e.Action == "session.create" && e.HttpStatus == 200);
    }

    /// <summary>
    /// The per-minute sign-in rate counts per address and user name: a flood of attempts under other
    /// names from the same address (every client behind a proxy) leaves an account's own sign-in alone.
    /// </summary>
    [Fact]
    public async Task AFloodOfSignInsUnderOtherNames_FromTheSameAddress_DoesNotStopTheOwnersSignIn()
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Synapse:Admin:SignInsPerMinute"] = "3",
            ["Synapse:Admin:FailedAuthenticationLimit"] = "3",
        });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        (await http.PostAsJsonAsync("/admin/api/setup", new { token = GatewayHost.AdminToken, username = "boss", password = "a proper password" })).EnsureSuccessStatusCode();

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            flood.Add((await http.PostAsJsonAsync("/admin/api/session", new { username = "mallory", password = "guess " + i })).StatusCode);
        }

        var owner = await http.PostAsJsonAsync("/admin/api/session", new { username = "boss", password = "a proper password" });

        Assert.Equal(HttpStatusCode.TooManyRequests, flood[^1]);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    private static async Task<int> AdminEventCountAsync(GatewayHost gateway)
    {
        var store = gateway.Services.GetRequiredService<IAuditStore>();
        return (await store.QueryAsync(new AuditQuery(Kind: "admin", Limit: 1000), CancellationToken.None)).Count;
    }

    private static Task<HttpResponseMessage> AttemptAsync(HttpClient http, string path, string kind, bool right)
    {
        var secret = right ? GatewayHost.AdminToken : "wrong-token-" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(kind == "Password" ? HttpMethod.Post : HttpMethod.Get, path);
        switch (kind)
        {
            case "Bearer":
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                break;
            case "Basic":
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + secret)));
                break;
            default:
                request.Content = JsonContent.Create(new { username = "boss", password = right ? "a proper password" : "wrong password" });
                break;
        }

        return http.SendAsync(request);
    }
}
