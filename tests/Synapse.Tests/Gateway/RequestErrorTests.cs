using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>Ugly input gets OpenAI's error shape, the right status, and never reaches a provider.</summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class RequestErrorTests(GatewayFixture fixture)
{
    private GatewayHost Gateway => fixture.Gateway;

    [Fact]
    public async Task Unauthorized_UnknownMalformedMissingAndRevokedKeys_GetByteIdenticalBodies()
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        (await Gateway.Admin.PostAsync($"/admin/api/keys/{keyId}/revoke", null)).EnsureSuccessStatusCode();
        string[] authorizations = ["Bearer " + secret, "Bearer syn-" + new string('A', 43), "Bearer garbage", "Basic Zm9vOmJhcg==", ""];

        var bodies = new List<string>();
        foreach (var authorization in authorizations)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.BaseAddress, "/v1/chat/completions"))
            {
                Content = JsonContent.Create(new { model = GatewayFixture.OnPremModel, messages = new[] { new { role = "user", content = "x" } } }),
            };
            if (authorization.Length > 0)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var http = new HttpClient();
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Distinct());
        Assert.Equal("invalid_api_key", JsonNode.Parse(bodies[0])!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedKey_IsRefusedAtOnce()
    {
        var (keyId, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = Gateway.ClientFor(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);

        (await Gateway.Admin.PostAsync($"/admin/api/keys/{keyId}/revoke", null)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/models")).StatusCode);
    }

    [Theory]
    [InlineData("{not json", "invalid_request_error", null)]
    [InlineData("[1,2,3]", "invalid_request_error", null)]
    [InlineData("{\"model\":\"llama3\",\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_request_error", null)]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_request_error", "model")]
    [InlineData("{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_request_error", "model")]
    [InlineData("{\"model\":\"llama3\"}", "invalid_request_error", "messages")]
    [InlineData("{\"model\":\"llama3\",\"messages\":\"hi\"}", "invalid_request_error", "messages")]
    [InlineData("{\"model\":\"llama3\",\"messages\":[{\"content\":\"x\"}]}", "invalid_request_error", "messages[0]")]
    [InlineData("{\"model\":\"llama3\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}", "invalid_request_error", "messages")]
    [InlineData("{\"model\":\"llama3\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_request_error", "stream")]
    [InlineData("{\"model\":\"llama3\",\"api_base\":\"http://evil\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_request_error", "api_base")]
    [InlineData("{\"model\":\"llama3\",\"base_url\":\"http://evil\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_request_error", "base_url")]
    [InlineData("{\"model\":\"llama3\",\"extra_headers\":{\"x\":\"y\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "invalid_request_error", "extra_headers")]
    [InlineData("{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}   trailing", "invalid_request_error", null)]
    public async Task MalformedBodies_Get400InOpenAiShape(string body, string code, string? param)
    {
        var before = fixture.Upstream.Requests.Count;
        var (status, error) = await PostRawAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.Equal(before, fixture.Upstream.Requests.Count);
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("llama3\u200B")]
    [InlineData("LLAMA3")]
    [InlineData("ｌｌａｍａ3")]
    [InlineData("llama3 ")]
    public async Task ModelsOffTheAllowlist_Get403(string model)
    {
        var body = new JsonObject { ["model"] = model, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "x" }) }.ToJsonString();

        var (status, error) = await PostRawAsync(body);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("model_not_allowed", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task HugeBody_Gets413WithoutBeingRead()
    {
        var huge = "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 5 * 1024 * 1024) + "\"}]}";

        var (status, error) = await PostRawAsync(huge);
        var (chunkedStatus, _) = await PostRawAsync(huge, chunked: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedStatus);
        Assert.Equal("request_too_large", error["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("application/json", 5 * 1024 * 1024, "HTTP/1.1 413 Payload Too Large")]
    [InlineData("text/plain", 2 * 1024 * 1024, "HTTP/1.1 415 Unsupported Media Type")]
    public async Task ABodyRefusedUnread_IsReadToItsEnd_SoTheClientReadsTheRefusal_AndKeepsItsConnection(string contentType, int length, string refusal)
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        var body = Encoding.UTF8.GetBytes("{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', length) + "\"}]}");

        var statuses = await PipelinedRequests.StatusLinesAsync(
            Gateway.BaseAddress,
            $"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {secret}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n",
            body,
            $"GET /v1/models HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {secret}\r\n\r\n");

        Assert.Equal([refusal, "HTTP/1.1 200 OK"], statuses);
    }

    [Fact]
    public async Task UpstreamFailure_Gets502WithoutTheUpstreamsText()
    {
        var (status, error) = await PostRawAsync("{\"model\":\"failing-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", models: [GatewayFixture.FailingModel]);

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("upstream_error", error["code"]!.GetValue<string>());
        Assert.DoesNotContain(MockOpenAiUpstream.SecretInErrors, error.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("HTTP 500", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownV1Path_Gets404InOpenAiShape()
    {
        var (_, secret) = await Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = Gateway.ClientFor(secret);

        var response = await client.GetAsync("/v1/assistants");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]);
    }

    private async Task<(HttpStatusCode Status, JsonObject Error)> PostRawAsync(string body, bool chunked = false, string[]? models = null)
    {
        var (_, secret) = await Gateway.CreateKeyAsync(models ?? [GatewayFixture.OnPremModel]);
        using var client = Gateway.ClientFor(secret);
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)))
            : new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }

        var response = await client.PostAsync("/v1/chat/completions", content);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (response.StatusCode, json!["error"]!.AsObject());
    }
}
