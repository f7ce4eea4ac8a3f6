using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Synapse.Tests.Console;

[Trait("Category", "Slow")]
[Collection(ConsoleGatewayCollection.Name)]
public sealed class OpenApiDocumentTests(ConsoleGatewayFixture fixture)
{
    [Fact]
    public async Task TheAdminApi_PublishesItsOpenApiDocument_BehindTheAdminCredential()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Gateway.BaseAddress };

        var refused = await anonymous.GetAsync("/openapi/v1.json");
        var document = await fixture.Gateway.Admin.GetFromJsonAsync<JsonObject>("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var paths = document!["paths"]!.AsObject();
        foreach (var path in new[] { "/admin/api/setup", "/admin/api/session", "/admin/api/accounts", "/admin/api/keys", "/admin/api/usage", "/admin/api/audit/prove", "/admin/api/dlp/test" })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the document");
        }

        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/v1", StringComparison.Ordinal));

        // Request and answer schemas, and the problem-details error shape.
        var createKey = paths["/admin/api/keys"]!["post"]!;
        Assert.NotNull(createKey["requestBody"]!["content"]!["application/json"]);
        Assert.NotNull(createKey["responses"]!["201"]);
        Assert.NotNull(createKey["responses"]!["400"]!["content"]!["application/problem+json"]);
        Assert.True(document["components"]!["schemas"]!.AsObject().ContainsKey("KeyView"));
    }
}
