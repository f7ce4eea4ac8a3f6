using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>
/// Input nobody sends by accident: reserved and oversized values, chunked bodies past the cap,
/// times at the ends of the calendar, filters that are not ids. Each gets a problem-details answer
/// with the right status, never a 500 and never a silently different question.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ConsoleGatewayCollection.Name)]
public sealed class AdminInputEdgeTests(ConsoleGatewayFixture fixture)
{
    private GatewayHost Gateway => fixture.Gateway;

    [Theory]
    [InlineData("/admin/api/accounts", "token")]
    [InlineData("/admin/api/accounts", " TOKEN ")]
    [InlineData("/admin/api/setup", "Token")]
    public async Task NoAccount_MayBeNamedToken_TheAuditLogsNameForTheAdminToken(string path, string username)
    {
        var body = new JsonObject { ["username"] = username, ["password"] = "a long enough password" };
        if (path.EndsWith("/setup", StringComparison.Ordinal))
        {
            body["token"] = GatewayHost.AdminToken;
        }
        else
        {
            body["role"] = "admin";
        }

        var response = await Gateway.Admin.PostAsJsonAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("reserved", problem["errors"]!["username"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Gateway.Admin.GetAsync("/admin/api/accounts/token")).StatusCode);
    }

    [Theory]
    [InlineData("/admin/api/teams", "name", true)]
    [InlineData("/admin/api/teams", "name", false)]
    [InlineData("/admin/api/dlp/test", "text", true)]
    [InlineData("/admin/api/dlp/test", "text", false)]
    public async Task ABodyOverTheCap_Is413ProblemDetails_ChunkedOrNot(string path, string field, bool chunked)
    {
        var json = Encoding.UTF8.GetBytes("{\"" + field + "\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
        HttpContent content = chunked ? new StreamContent(new MemoryStream(json)) : new ByteArrayContent(json);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        var response = await Gateway.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(413, (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/admin/api/dlp/test")]
    [InlineData("/admin/api/keys/no-such-key/revoke")]
    public async Task ABodyDeclaredOverTheCap_IsReadToItsEnd_SoTheClientReadsThe413_AndKeepsItsConnection(string path)
    {
        var body = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('a', 2 * 1024 * 1024) + "\"}");
        var auth = $"Host: localhost\r\nAuthorization: Bearer {GatewayHost.AdminToken}\r\n";

        var statuses = await PipelinedRequests.StatusLinesAsync(
            Gateway.BaseAddress,
            $"POST {path} HTTP/1.1\r\n{auth}Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n",
            body,
            $"GET /admin/api/teams HTTP/1.1\r\n{auth}\r\n");

        Assert.Equal(["HTTP/1.1 413 Payload Too Large", "HTTP/1.1 200 OK"], statuses);
    }

    [Theory]
    [InlineData("/admin/api/usage?from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:59Z", "from")]
    [InlineData("/admin/api/usage?to=9999-12-31T23:59:59Z&bucket=hour", "to")]
    [InlineData("/admin/api/usage?from=0001-01-01T00:00:00Z&to=0001-01-01T01:00:00Z", "from")]
    [InlineData("/admin/api/audit?from=0001-01-01T00:00:00Z", "from")]
    [InlineData("/admin/api/audit?to=9999-12-31T23:59:59Z", "to")]
    [InlineData("/admin/api/audit/export?to=9999-12-31T23:59:59Z", "to")]
    [InlineData("/admin/api/usage?keyId=%01", "keyId")]
    [InlineData("/admin/api/usage?teamId=team%0Ax", "teamId")]
    public async Task TimesOutsideTheLog_AndFiltersThatAreNotIds_Are400(string query, string field)
    {
        var response = await Gateway.Admin.GetAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task AnUnknownCategoryInThePolicy_IsNamedAsTheRequestNamesIt()
    {
        var response = await Gateway.Admin.PutAsJsonAsync("/admin/api/dlp/policy", new { actions = new Dictionary<string, string> { ["no_such_category"] = "block" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["actions.no_such_category"], errors.Select(e => e.Key));
    }

    [Fact]
    public async Task AnOverlongUsageFilter_Is400_NotAnAnswerForEveryKey()
    {
        var response = await Gateway.Admin.GetAsync("/admin/api/usage?keyId=" + new string('k', 300));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["keyId"]);
    }

    [Fact]
    public async Task AnExport_IsAuditedWithItsFormatFilterAndCount()
    {
        var since = DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var csv = await Gateway.Admin.GetStringAsync("/admin/api/audit/export?format=csv&kind=admin&from=" + Uri.EscapeDataString(since));
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;

        // The export's result is recorded once its body has gone out, so the client may be first.
        var events = await Eventually.ValueAsync<JsonNode?>(
            async () =>
            {
                var page = (await Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?kind=admin&limit=200"))!["items"]!.AsArray();
                return page.FirstOrDefault(e => e!["action"]?.GetValue<string>() == "audit.export" && e["outcome"]!.GetValue<string>() == "succeeded"
                    && e["detail"]?.GetValue<string>()?.Contains(since, StringComparison.Ordinal) == true);
            },
            e => e is not null);

        var detail = JsonNode.Parse(events!["detail"]!.GetValue<string>())!;
        Assert.Equal("csv", detail["format"]!.GetValue<string>());
        Assert.Equal("admin", detail["filter"]!["kind"]!.GetValue<string>());
        Assert.Equal(since, detail["filter"]!["from"]!.GetValue<string>());
        Assert.Equal(rows, detail["events"]!.GetValue<long>());
        Assert.Equal("token", events["actor"]!.GetValue<string>());
    }
}
