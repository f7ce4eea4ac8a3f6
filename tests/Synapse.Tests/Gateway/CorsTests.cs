using System.Net;
using System.Net.Http.Json;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// Browser pages calling the client APIs (<c>Synapse:Cors</c>): a preflight is answered 204, with
/// permission only for an allowed origin, and is never a failed authentication; the admin API is
/// never cross-origin.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CorsTests
{
    private const string Allowed = "https://chat.example.org";

    [Fact]
    public async Task APreflightFromAnAllowedOrigin_IsPermitted_AndTheCallItAnnounces_IsServedAndReadable()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(Settings(upstream, Allowed));
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var chat = await client.SendAsync(Preflight("/v1/chat/completions", Allowed, "authorization, content-type"));
        using var messages = await client.SendAsync(Preflight("/v1/messages", Allowed, "x-api-key, anthropic-version, content-type"));
        using var call = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(new { model = "llama3", messages = new[] { new { role = "user", content = "hi" } } }) };
        call.Headers.Add("Origin", Allowed);
        call.Headers.Authorization = new("Bearer", secret);
        using var answer = await client.SendAsync(call);

        Assert.Equal(HttpStatusCode.NoContent, chat.StatusCode);
        Assert.Equal(Allowed, Header(chat, "Access-Control-Allow-Origin"));
        Assert.Contains("authorization", Header(chat, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("POST", Header(chat, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Equal("600", Header(chat, "Access-Control-Max-Age"));
        Assert.Equal((HttpStatusCode.NoContent, Allowed), (messages.StatusCode, Header(messages, "Access-Control-Allow-Origin")));
        Assert.Contains("anthropic-version", Header(messages, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(Allowed, Header(answer, "Access-Control-Allow-Origin"));
        Assert.Contains("x-request-id", Header(answer, "Access-Control-Expose-Headers"), StringComparison.Ordinal);
        Assert.Contains("x-ratelimit-remaining-requests", Header(answer, "Access-Control-Expose-Headers"), StringComparison.Ordinal);
        Assert.Single(await gateway.AuditEventsOfAsync(answer), e => e["kind"]!.GetValue<string>() == "request");
    }

    [Theory]
    [InlineData(Allowed, "https://evil.example")]
    [InlineData(null, Allowed)]
    public async Task APreflightFromAnOriginNotAllowed_GetsNoPermission_AndIsNoFailedAuthentication(string? allowed, string origin)
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = Settings(upstream, allowed);
        settings["Synapse:KeyAuthentication:FailureLimit"] = "1";
        await using var gateway = await GatewayHost.StartAsync(settings);
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        var preflights = new List<HttpResponseMessage>();
        foreach (var path in (string[])["/v1/chat/completions", "/v1/models", "/openai/deployments/llama3/chat/completions", "/chat/completions", "/v1/files"])
        {
            preflights.Add(await client.SendAsync(Preflight(path, origin, "authorization")));
        }

        // Had the preflights counted as failed authentications, this address would be throttled by now (limit 1).
        using var unknownKey = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { { "Authorization", "Bearer syn-wrong" } } });

        Assert.All(preflights, p => Assert.Equal(HttpStatusCode.NoContent, p.StatusCode));
        Assert.All(preflights, p => Assert.False(p.Headers.Contains("Access-Control-Allow-Origin")));
        Assert.Equal(HttpStatusCode.Unauthorized, unknownKey.StatusCode);
    }

    [Fact]
    public async Task TheAdminApi_IsNeverCrossOrigin()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(Settings(upstream, "*"));
        using var client = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var preflight = await client.SendAsync(Preflight("/admin/api/teams", Allowed, "authorization"));
        using var v1 = await client.SendAsync(Preflight("/v1/models", Allowed, "authorization"));

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal("*", Header(v1, "Access-Control-Allow-Origin"));
    }

    private static Dictionary<string, string?> Settings(MockOpenAiUpstream upstream, string? allowed)
    {
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3");
        if (allowed is not null)
        {
            settings["Synapse:Cors:AllowedOrigins:0"] = allowed;
        }

        return settings;
    }

    private static HttpRequestMessage Preflight(string path, string origin, string headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", path.EndsWith("/models", StringComparison.Ordinal) ? "GET" : "POST");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return request;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : string.Empty;
}
