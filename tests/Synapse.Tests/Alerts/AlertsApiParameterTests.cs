using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Alerts;

/// <summary>The alerts admin API's refusals of bad query parameters, against one shared all-in-one gateway.</summary>
[Trait("Category", "Slow")]
public sealed class AlertsApiParameterTests(AlertsGatewayFixture fixture) : IClassFixture<AlertsGatewayFixture>
{
    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("type=bogus", "type")]
    [InlineData("type=dlp_alert&type=usage_spike", "type")]
    [InlineData("sort=asc", "sort")]
    public async Task AdminApi_BadParameters_AreProblemDetails(string query, string field)
    {
        var response = await fixture.Gateway.Admin.GetAsync(new Uri("/admin/api/alerts?" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]);
    }
}

/// <summary>One all-in-one gateway with the alert tests' webhook settings (nothing listens on its webhook's port).</summary>
public sealed class AlertsGatewayFixture : IAsyncLifetime
{
    public GatewayHost Gateway { get; private set; } = null!;

    public async Task InitializeAsync() => Gateway = await GatewayHost.StartAsync(GatewayAlertsTests.Settings(FreePort.Next()));

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
