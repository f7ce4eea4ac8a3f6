using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Admin;

/// <summary>
/// Every instant the admin API reads (a key's <c>expiresAt</c>, the <c>from</c> and <c>to</c> of
/// <c>/audit</c>, its export and <c>/usage</c>) carries its offset, <c>Z</c> or <c>±hh:mm</c>; one
/// without is a 400 naming the field, never read in some time zone. Before, <c>expiresAt</c>
/// without one was read in the server's zone (under <c>TZ=Asia/Tokyo</c>,
/// <c>2027-01-01T00:00:00</c> became <c>2026-12-31T15:00:00Z</c>) while <c>/audit</c> and
/// <c>/usage</c> read it as UTC. The gateway runs in its own process under Tokyo's zone, so that a
/// server-zone reading shows.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AdminInstantTests(AdminInstantTests.TokyoGateway tokyo) : IClassFixture<AdminInstantTests.TokyoGateway>
{
    private const string Model = "llama3";

    [Theory]
    [InlineData("2027-01-01T00:00:00")]
    [InlineData("2027-01-01T00:00:00.000")]
    [InlineData("2027-01-01")]
    [InlineData("2027-01-01 00:00:00Z")]
    public async Task AnExpiryWithoutItsOffset_Gets400NamingIt(string expiresAt)
    {
        var response = await tokyo.Gateway.Admin.PostAsJsonAsync("/admin/api/keys", await KeyRequestAsync(expiresAt));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var message = JsonNode.Parse(text)!["errors"]!["expiresAt"]![0]!.GetValue<string>();
        Assert.Contains("offset", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2027-01-01T00:00:00Z", "2027-01-01T00:00:00+00:00")]
    [InlineData("2027-01-01T00:00:00+09:00", "2026-12-31T15:00:00+00:00")]
    [InlineData("2027-01-01T00:00:00.5-05:30", "2027-01-01T05:30:00.5+00:00")]
    public async Task AnExpiryWithItsOffset_IsThatInstant_InWhateverZoneTheServerRuns(string expiresAt, string stored)
    {
        var response = await tokyo.Gateway.Admin.PostAsJsonAsync("/admin/api/keys", await KeyRequestAsync(expiresAt));

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        Assert.Equal(DateTimeOffset.Parse(stored, System.Globalization.CultureInfo.InvariantCulture), JsonNode.Parse(text)!["expiresAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("/admin/api/audit?from=2026-01-01T00:00:00", "from")]
    [InlineData("/admin/api/audit?to=2026-01-01", "to")]
    [InlineData("/admin/api/audit/export?format=csv&from=2026-01-01T00:00:00", "from")]
    [InlineData("/admin/api/usage?from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00", "to")]
    [InlineData("/admin/api/usage?from=2026-01-01T00:00:00&to=2026-01-01T01:00:00Z", "from")]
    public async Task AQueryTimeWithoutItsOffset_Gets400NamingIt(string path, string field)
    {
        var response = await tokyo.Gateway.Admin.GetAsync(path);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("offset", JsonNode.Parse(text)!["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/api/audit?from=2026-01-01T00:00:00%2B09:00&to=2026-01-01T00:00:00Z")]
    [InlineData("/admin/api/usage?from=2026-01-01T00:00:00Z&to=2026-01-01T02:00:00%2B01:00")]
    public async Task QueryTimesWithTheirOffsets_AreRead(string path)
    {
        var response = await tokyo.Gateway.Admin.GetAsync(path);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonObject> KeyRequestAsync(string expiresAt) => new()
    {
        ["teamId"] = await GatewayApi.CreateTeamAsync(tokyo.Gateway.Admin),
        ["name"] = "until new year",
        ["allowedModels"] = new JsonArray(Model),
        ["classification"] = "non_sensitive",
        ["limits"] = new JsonObject { ["requestsPerMinute"] = 10, ["tokensPerMinute"] = 1000, ["maxConcurrentRequests"] = 1 },
        ["expiresAt"] = expiresAt,
    };

    /// <summary>An all-in-one gateway whose process runs in Tokyo's time zone (UTC+9, no daylight saving).</summary>
    public sealed class TokyoGateway : IAsyncLifetime
    {
        public GatewayProcess Gateway { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>
            {
                ["TZ"] = "Asia/Tokyo",
                ["Synapse:Providers:local:Type"] = "openai",
                ["Synapse:Providers:local:BaseUrl"] = "http://127.0.0.1:9/v1",
                ["Synapse:Providers:local:Location"] = "on-prem",
                ["Synapse:Providers:local:Models:0"] = Model,
            });
            await Gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        }

        public async Task DisposeAsync() => await Gateway.DisposeAsync();
    }
}
