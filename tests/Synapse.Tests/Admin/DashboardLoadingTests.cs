using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Gateway.Hosting;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Admin;

/// <summary>
/// The Orleans dashboard's UI (17 MB read and gzipped by the package when its endpoints are
/// mapped) is built on the first authorised request, not at start and not for an anonymous caller.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DashboardLoadingTests
{
    [Fact]
    public async Task TheDashboard_IsBuiltOnlyWhenAnAuthorisedReaderOpensIt()
    {
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string?>());
        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var dashboard = Assert.Single(endpoints, e => e.Metadata.GetMetadata<DashboardPipeline>() is not null).Metadata.GetMetadata<DashboardPipeline>()!;
        using var anonymous = new HttpClient { BaseAddress = gateway.BaseAddress };
        using var reader = new HttpClient { BaseAddress = gateway.BaseAddress };
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + GatewayHost.AdminToken)));

        // The anonymous request reaches the dashboard's route (it is challenged there) and builds nothing.
        var refused = await anonymous.GetAsync("/dashboard/version");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Basic", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
        Assert.False(dashboard.IsBuilt);
        Assert.DoesNotContain(endpoints.OfType<RouteEndpoint>(), e => e.RoutePattern.RawText?.EndsWith("/version", StringComparison.Ordinal) == true);

        var version = await reader.GetFromJsonAsync<JsonObject>("/dashboard/version");
        var page = await reader.GetAsync("/dashboard/");
        var counters = await reader.GetAsync("/dashboard/DashboardCounters");
        var missing = await reader.GetAsync("/dashboard/no-such-page");
        var refusedAfter = await anonymous.GetAsync("/dashboard/DashboardCounters");

        Assert.True(dashboard.IsBuilt);
        Assert.False(string.IsNullOrEmpty(version!["version"]?.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, counters.StatusCode);
        Assert.NotNull((await counters.Content.ReadFromJsonAsync<JsonObject>())!["totalActivationCount"]);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedAfter.StatusCode);
    }
}
