using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>
/// Every admin endpoint against every kind of caller: anonymous, an auditor's session, an admin's
/// session and the admin token. The table must name every endpoint the application maps, so a new
/// endpoint without a decided policy fails here.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ConsoleGatewayCollection.Name)]
public sealed class RoleMatrixTests(ConsoleGatewayFixture fixture)
{
    private enum Access
    {
        Anyone,
        Reader,
        Admin,
    }

    private static readonly Dictionary<string, Access> Policy = new(StringComparer.Ordinal)
    {
        ["GET /admin/api/setup"] = Access.Anyone,
        ["POST /admin/api/setup"] = Access.Anyone,
        ["POST /admin/api/session"] = Access.Anyone,
        ["GET /admin/api/session"] = Access.Reader,
        ["PUT /admin/api/session/password"] = Access.Reader,
        ["GET /admin/api/teams"] = Access.Reader,
        ["GET /admin/api/keys"] = Access.Reader,
        ["GET /admin/api/keys/{id}"] = Access.Reader,
        ["GET /admin/api/providers"] = Access.Reader,
        ["GET /admin/api/audit"] = Access.Reader,
        ["GET /admin/api/audit/export"] = Access.Reader,
        ["GET /admin/api/audit/verify"] = Access.Reader,
        ["POST /admin/api/audit/prove"] = Access.Reader,
        ["GET /admin/api/usage"] = Access.Reader,
        ["GET /admin/api/dlp/policy"] = Access.Reader,
        ["POST /admin/api/dlp/test"] = Access.Reader,
        ["GET /admin/api/alerts"] = Access.Reader,
        ["* /admin/api/{**path}"] = Access.Reader,
        ["POST /admin/api/accounts"] = Access.Admin,
        ["GET /admin/api/accounts"] = Access.Admin,
        ["GET /admin/api/accounts/{username}"] = Access.Admin,
        ["PATCH /admin/api/accounts/{username}"] = Access.Admin,
        ["POST /admin/api/teams"] = Access.Admin,
        ["POST /admin/api/keys"] = Access.Admin,
        ["POST /admin/api/keys/{id}/revoke"] = Access.Admin,
        ["PUT /admin/api/keys/{id}/limits"] = Access.Admin,
        ["POST /admin/api/keys/{id}/rotate"] = Access.Admin,
        ["PUT /admin/api/dlp/policy"] = Access.Admin,
        ["POST /admin/api/alerts/{alertId}/deliveries/{webhook}/retry"] = Access.Admin,
        ["DELETE /admin/api/session"] = Access.Reader,
    };

    [Fact]
    public void TheTable_NamesEveryAdminEndpoint()
    {
        var mapped = MappedEndpoints();

        Assert.Empty(mapped.Except(Policy.Keys));
        Assert.Empty(Policy.Keys.Except(mapped));
    }

    [Fact]
    public async Task EveryEndpoint_AnswersEachCallerAsItsPolicySays()
    {
        var failures = new List<string>();
        foreach (var endpoint in Policy.Keys.OrderBy(e => e.StartsWith("DELETE", StringComparison.Ordinal)))
        {
            var (method, path) = Request(endpoint);
            var access = Policy[endpoint];

            using var anonymous = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };
            Check(failures, endpoint, "anonymous", await SendAsync(anonymous, method, path, null), access == Access.Anyone);
            Check(failures, endpoint, "token", await SendAsync(fixture.Gateway.Admin, method, path, null), allowed: true);
            foreach (var role in new[] { "auditor", "admin" })
            {
                using var session = await fixture.AccountAsync(role);
                var allowed = access != Access.Admin || role == "admin";
                Check(failures, endpoint, role, await SendAsync(session.Http, method, path, session.CsrfToken), allowed);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static void Check(List<string> failures, string endpoint, string caller, HttpResponseMessage response, bool allowed)
    {
        var status = response.StatusCode;
        var refused = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

        // The open endpoints judge the body themselves (setup answers 401 to a missing token).
        if (Policy[endpoint] == Access.Anyone)
        {
            refused = status == HttpStatusCode.Forbidden;
        }

        if (allowed == refused)
        {
            failures.Add($"{endpoint} as {caller}: {(int)status}, expected {(allowed ? "to be let in" : "401/403")}");
        }

        if (status == HttpStatusCode.InternalServerError)
        {
            failures.Add($"{endpoint} as {caller}: 500");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path, string? csrf)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }

        return await http.SendAsync(request);
    }

    private static (string Method, string Path) Request(string endpoint)
    {
        var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
        var method = endpoint[..space] == "*" ? "GET" : endpoint[..space];
        var path = endpoint[(space + 1)..]
            .Replace("{**path}", "no-such-thing", StringComparison.Ordinal)
            .Replace("{alertId}", Guid.Empty.ToString(), StringComparison.Ordinal);
        path = System.Text.RegularExpressions.Regex.Replace(path, "\\{[a-zA-Z]+\\}", "nothing-here");
        return (method, path);
    }

    private HashSet<string> MappedEndpoints()
    {
        var sources = fixture.Gateway.Services.GetServices<EndpointDataSource>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var route = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (!route.StartsWith("/admin/api", StringComparison.Ordinal))
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods;
            foreach (var method in methods is { Count: > 0 } ? methods : ["*"])
            {
                names.Add($"{method} {route}");
            }
        }

        return names;
    }
}
