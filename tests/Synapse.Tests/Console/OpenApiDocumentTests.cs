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
        var getKey = paths["/admin/api/keys/{id}"]!["get"]!["responses"]!;
        Assert.NotNull(getKey["200"]!["content"]!["application/json"]);
        Assert.NotNull(getKey["404"]);
    }

    [Fact]
    public async Task EveryOperation_ListsTheErrorsOfTheLayersInFrontOfIt_AndItsCredentials()
    {
        var document = (await fixture.Gateway.Admin.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var anonymous = new[] { "get /admin/api/setup", "post /admin/api/setup", "post /admin/api/session" };
        var announced = new[] { "post /admin/api/teams", "post /admin/api/keys", "put /admin/api/dlp/policy", "patch /admin/api/accounts/{username}", "get /admin/api/audit/export" };

        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => (Name: o.Key + " " + p.Key, Operation: o.Value!.AsObject())))
            .ToList();

        Assert.True(operations.Count >= 25, $"only {operations.Count} operations");
        foreach (var (name, operation) in operations)
        {
            var responses = operation["responses"]!.AsObject();
            void Has(string status) => Assert.True(
                responses[status]?["content"]?["application/problem+json"] is not null, $"{name} does not document {status} as problem details");
            Has("403");
            if (!anonymous.Contains(name))
            {
                Has("401");
                Has("429");
                Assert.NotEmpty(operation["security"]?.AsArray() ?? document["security"]!.AsArray());
            }
            else
            {
                Assert.Equal("[{}]", operation["security"]!.ToJsonString());
            }

            if (operation.ContainsKey("requestBody"))
            {
                Has("413");
                Has("415");
            }

            if (announced.Contains(name))
            {
                Has("503");
            }
        }

        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", schemes["adminToken"]!["scheme"]!.GetValue<string>());
        Assert.Equal("cookie", schemes["session"]!["in"]!.GetValue<string>());
        Assert.Equal("X-CSRF-Token", schemes["csrfToken"]!["name"]!.GetValue<string>());
    }
}
