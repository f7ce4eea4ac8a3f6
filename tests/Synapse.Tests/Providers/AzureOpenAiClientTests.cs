using System.Net;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Grains.Providers;
using Synapse.Providers;
using Synapse.Providers.AzureOpenAi;
using Xunit;
using static Synapse.Tests.Providers.ProviderTestHelpers;

namespace Synapse.Tests.Providers;

public sealed class AzureOpenAiClientTests
{
    private const string ChatRequest = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""";

    private const string ChatResponse = """
        {"id":"chatcmpl-A1","object":"chat.completion","created":1727000000,"model":"gpt-4o-2024-08-06",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello","refusal":null},"logprobs":null,"finish_reason":"stop",
           "content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}],
         "usage":{"prompt_tokens":8,"completion_tokens":1,"total_tokens":9},
         "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}
        """;

    [Fact]
    public async Task Send_MappedModel_GoesToItsDeploymentAndPassesThrough()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json(ChatResponse);
        var options = Options(upstream.BaseUrl);
        options.Deployments["gpt-4o"] = "prod-gpt4o";

        var reply = await new AzureOpenAiClient(options, new HttpClient()).SendAsync(Call(ChatRequest), CancellationToken.None);

        Assert.Equal("/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21", upstream.Last.PathAndQuery);
        Assert.Equal("azure-key", upstream.Last.Headers["api-key"]);
        Assert.Equal(ChatRequest, upstream.Last.BodyText);
        AssertJsonEqual(ChatResponse, reply.Body!);
        Assert.Equal("Hello", ParseWithOpenAiSdk(reply.Body!).Content[0].Text);
    }

    [Fact]
    public async Task Send_UnmappedModel_UsesModelAsDeploymentAndConfiguredApiVersion()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":1,"total_tokens":1}}""");
        var options = Options(upstream.BaseUrl);
        options.ApiVersion = "2025-04-01-preview";

        var reply = await new AzureOpenAiClient(options, new HttpClient()).SendAsync(
            Call("""{"model":"text-embedding-3-small","input":"hi"}""", operation: RequestOperation.Embeddings), CancellationToken.None);

        Assert.Null(reply.Failure);
        Assert.Equal("/openai/deployments/text-embedding-3-small/embeddings?api-version=2025-04-01-preview", upstream.Last.PathAndQuery);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error":{"code":"content_filter","message":"The response was filtered: secret","param":"prompt","status":400}}""", "provider_invalid_request", "(content_filter)")]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":{"code":"401","message":"Access denied due to invalid subscription key."}}""", "upstream_error", "(401)")]
    [InlineData(HttpStatusCode.NotFound, """{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}""", "upstream_error", "(DeploymentNotFound)")]
    [InlineData(HttpStatusCode.TooManyRequests, """{"error":{"code":"429","message":"Requests have exceeded the token rate limit."}}""", "upstream_rate_limited", "(429)")]
    [InlineData(HttpStatusCode.InternalServerError, "oops", "upstream_error", "HTTP 500.")]
    public async Task Send_ErrorStatus_MapsToFailure(HttpStatusCode status, string body, string code, string messageEnd)
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json(body, status);

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(ChatRequest), CancellationToken.None);

        Assert.Equal(code, reply.Failure!.Code);
        Assert.EndsWith(messageEnd + (messageEnd.EndsWith('.') ? "" : "."), reply.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", reply.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_MalformedAnswer_FailsAsUnreadable()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.Json("""{"id":"chatcmpl-A1","choices":[""");

        var reply = await Client(upstream.BaseUrl).SendAsync(Call(ChatRequest), CancellationToken.None);

        Assert.Equal("The provider returned an answer that could not be read.", reply.Failure!.Message);
    }

    [Fact]
    public async Task Send_ConnectionRefused_FailsAsUnreachable()
    {
        var reply = await Client(ClosedPort()).SendAsync(Call(ChatRequest), CancellationToken.None);

        Assert.Equal("The provider could not be reached.", reply.Failure!.Message);
    }

    [Fact]
    public async Task Stream_PassesChunksThroughAndStopsAtDone()
    {
        const string filterChunk = """{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}""";
        const string first = """{"id":"chatcmpl-A1","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""";
        const string last = """{"id":"chatcmpl-A1","object":"chat.completion.chunk","created":1727000000,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""";
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream($"data: {filterChunk}\n\n", $"data: {first}\n\n", $"data: {last}\n\n", "data: [DONE]\n\n");

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(Call(ChatRequest, stream: true), CancellationToken.None));

        Assert.Equal([filterChunk, first, last], events.Select(e => System.Text.Encoding.UTF8.GetString(e.Data!)));
        Assert.All(events, e => ParseChunkWithOpenAiSdk(e.Data!));
    }

    [Fact]
    public async Task Stream_ErrorEvent_EndsWithFailure()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream("data: {\"error\":{\"code\":\"server_error\",\"message\":\"The server had an error\"}}\n\n");

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(Call(ChatRequest, stream: true), CancellationToken.None));

        Assert.Equal("The provider reported an error during the stream (server_error).", Assert.Single(events).Failure!.Message);
    }

    [Fact]
    public async Task Stream_WithoutDone_EndsWithFailure()
    {
        await using var upstream = await MockUpstream.StartAsync();
        upstream.Respond = MockUpstream.EventStream("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[]}\n\n");

        var events = await CollectAsync(Client(upstream.BaseUrl).StreamAsync(Call(ChatRequest, stream: true), CancellationToken.None));

        Assert.Equal(2, events.Count);
        Assert.Equal("upstream_error", events[1].Failure!.Code);
    }

    private static ProviderOptions Options(Uri baseUrl) => new()
    {
        Type = ProviderTypes.AzureOpenAi,
        BaseUrl = baseUrl,
        ApiKey = "azure-key",
        Location = "cloud",
    };

    private static AzureOpenAiClient Client(Uri baseUrl) => new(Options(baseUrl), new HttpClient());
}
