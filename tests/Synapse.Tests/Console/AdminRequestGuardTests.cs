using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>
/// What a page on another site could send with an administrator's browser: cross-site marked
/// requests, foreign origins and form-encodable bodies are refused before any credential is used.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ConsoleGatewayCollection.Name)]
public sealed class AdminRequestGuardTests(ConsoleGatewayFixture fixture)
{
    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Origin", "http://127.0.0.1.evil.example")]
    public async Task CrossSiteRequests_Get403_EvenWithTheToken(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/teams") { Content = JsonContent.Create(new { name = "cross-" + Guid.NewGuid().ToString("N")[..6] }) };
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await fixture.Gateway.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("cross_site_request", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task SameOriginBrowserRequests_PassTheGuard()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/api/teams") { Content = JsonContent.Create(new { name = "same-" + Guid.NewGuid().ToString("N")[..6] }) };
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        request.Headers.TryAddWithoutValidation("Origin", fixture.Gateway.BaseAddress.GetLeftPart(UriPartial.Authority));

        var response = await fixture.Gateway.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json-patch+json")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData(null)]
    public async Task BodiesThatAreNotExactlyJson_Get415(string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"name\":\"form-" + Guid.NewGuid().ToString("N")[..6] + "\"}"));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        var response = await fixture.Gateway.Admin.PostAsync("/admin/api/teams", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task ACompressedBody_Gets415_ThatSaysSo_AndChangesNothing()
    {
        var name = "gzip-" + Guid.NewGuid().ToString("N")[..6];
        var content = new ByteArrayContent(Gzip.Compress(Encoding.UTF8.GetBytes("{\"name\":\"" + name + "\"}")));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        content.Headers.TryAddWithoutValidation("Content-Encoding", "gzip");

        var response = await fixture.Gateway.Admin.PostAsync("/admin/api/teams", content);
        var teams = await fixture.Gateway.Admin.GetStringAsync("/admin/api/teams");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("uncompressed", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(name, teams, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleAndApiResponses_CarryTheSecurityHeaders()
    {
        using var http = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };

        foreach (var path in new[] { "/admin/", "/admin/api/setup" })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }
}
