using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Synapse.Tests.Infrastructure;
using Synapse.Tests.Providers;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A provider's answer is read up to <c>Synapse:Providers:{name}:MaxAnswerBytes</c> (1 MiB here)
/// and no further. The mock sends 64 MiB — a whole answer with and without <c>Content-Length</c>,
/// or a stream whose line never ends — and counts what it managed to send before the gateway hung
/// up: what the gateway never received, it cannot have held. Before, the whole answer was read
/// (<c>ReadAsByteArrayAsync</c>: a 256 MB answer took 1.9 GB) and a stream's line grew the SSE
/// parser's buffers until the stream ended.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ProviderAnswerLimitTests : IAsyncLifetime
{
    private const string Model = "limited-model";
    private const int Limit = 1024 * 1024;
    private const long Sent = 64L * 1024 * 1024;

    /// <summary>
    /// Well over the limit and the loopback's socket buffers, well under what the mock sends: a
    /// gateway that stopped reading at the limit stays below it.
    /// </summary>
    private const long MostTheGatewayMayTake = 24L * 1024 * 1024;

    private MockUpstream _upstream = null!;
    private GatewayHost _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _upstream = await MockUpstream.StartAsync();
        var settings = GatewayHost.Provider("limited", new Uri(_upstream.BaseUrl, "/v1"), "on-prem", Model);
        settings["Synapse:Providers:limited:MaxAnswerBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Synapse:Resilience:MaxRetries"] = "0";
        settings["Synapse:Resilience:CircuitMinimumThroughput"] = "100000";
        _gateway = await GatewayHost.StartAsync(settings);
        var (_, secret) = await _gateway.CreateKeyAsync([Model]);
        _client = _gateway.ClientFor(secret);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AWholeAnswerOverTheLimit_Is502UpstreamError_AndIsNotReadPastIt(bool declaresLength)
    {
        // An answer of exactly the limit is served: the limit is the largest answer, not one past it.
        var content = new string('a', Limit - Completion("").Length);
        _upstream.Respond = Answer(Encoding.UTF8.GetBytes(Completion(content)), declaresLength);
        using (var served = await SendAsync(stream: false))
        {
            var text = await served.Content.ReadAsStringAsync();
            Assert.True(served.StatusCode == HttpStatusCode.OK, text);
            Assert.Equal(content, JsonNode.Parse(text)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        }

        // 64 MiB of {"x":"xxx…"}: refused from its Content-Length, or once 1 MiB has arrived.
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Respond = Huge(declaresLength, sent);
        using var response = await SendAsync(stream: false);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = JsonNode.Parse(body)!["error"]!;
        Assert.Equal("upstream_error", error["code"]!.GetValue<string>());
        Assert.Equal("api_error", error["type"]!.GetValue<string>());
        Assert.Contains($"larger than the gateway reads ({Limit} bytes)", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertAuditedAsync(response, "upstream_error", 502);
        Assert.InRange(await sent.Task.WaitAsync(TimeSpan.FromSeconds(30)), 0, MostTheGatewayMayTake);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStreamWhoseLineNeverEnds_EndsWithTheStreamsErrorEnding_OnceTheLimitIsPassed(bool chunksBefore)
    {
        var sent = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _upstream.Respond = EndlessLine(chunksBefore, sent);

        using var response = await SendAsync(stream: true);
        var body = await response.Content.ReadAsStringAsync();

        if (chunksBefore)
        {
            // The answer had started: the status is sent, so the stream ends with an error event
            // and no [DONE], and is audited as any stream that breaks mid-way (stream_broken).
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(events, e => e.Contains("\"role\":\"assistant\"", StringComparison.Ordinal));
            Assert.DoesNotContain("data: [DONE]", events);
            var error = JsonNode.Parse(events[^1]["data: ".Length..])!["error"]!;
            Assert.Equal("upstream_error", error["code"]!.GetValue<string>());
            Assert.Contains($"streamed event larger than the gateway reads ({Limit} bytes)", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
            await AssertAuditedAsync(response, "stream_broken", 200);
        }
        else
        {
            // Nothing had gone out: the client gets the gateway's 502.
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            var error = JsonNode.Parse(body)!["error"]!;
            Assert.Equal("upstream_error", error["code"]!.GetValue<string>());
            Assert.Contains($"streamed event larger than the gateway reads ({Limit} bytes)", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
            await AssertAuditedAsync(response, "upstream_error", 502);
        }

        Assert.InRange(await sent.Task.WaitAsync(TimeSpan.FromSeconds(30)), 0, MostTheGatewayMayTake);
    }

    private Task<HttpResponseMessage> SendAsync(bool stream) =>
        _client.PostAsJsonAsync("/v1/chat/completions", new { model = Model, stream, messages = new[] { new { role = "user", content = "hello" } } });

    private async Task AssertAuditedAsync(HttpResponseMessage response, string outcome, int status)
    {
        var completion = (await _gateway.AuditEventsOfAsync(response)).Single(e => e["kind"]!.GetValue<string>() == "completion");
        Assert.Equal(outcome, completion["outcome"]!.GetValue<string>());
        Assert.Equal(status, completion["httpStatus"]!.GetValue<int>());
    }

    private static string Completion(string content) =>
        $$"""{"id":"chatcmpl-1","object":"chat.completion","created":1764500000,"model":"{{Model}}","choices":[{"index":0,"message":{"role":"assistant","content":"{{content}}"},"finish_reason":"stop"}]}""";

    private static Func<HttpContext, Task> Answer(byte[] body, bool declaresLength) => async context =>
    {
        context.Response.ContentType = "application/json";
        if (declaresLength)
        {
            context.Response.ContentLength = body.Length;
        }

        await context.Response.Body.WriteAsync(body);
    };

    /// <summary><c>{"x":"xxx…"}</c> of 64 MiB, written from one reused buffer; <paramref name="sent"/> gets what went out.</summary>
    private static Func<HttpContext, Task> Huge(bool declaresLength, TaskCompletionSource<long> sent) => async context =>
    {
        context.Response.ContentType = "application/json";
        if (declaresLength)
        {
            context.Response.ContentLength = Sent;
        }

        await SendUntilHungUpAsync(context, "{\"x\":\""u8.ToArray(), Sent - 8, "\"}"u8.ToArray(), sent);
    };

    /// <summary>A stream (a first chunk or not) and then a <c>data:</c> line of 64 MiB that never ends.</summary>
    private static Func<HttpContext, Task> EndlessLine(bool chunksBefore, TaskCompletionSource<long> sent) => async context =>
    {
        context.Response.ContentType = "text/event-stream";
        var start = chunksBefore
            ? $$"""data: {"id":"c1","object":"chat.completion.chunk","created":1764500000,"model":"{{Model}}","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""" + "\n\n"
            : string.Empty;
        await SendUntilHungUpAsync(context, Encoding.UTF8.GetBytes(start + "data: {\"x\":\""), Sent, [], sent);
    };

    /// <summary>
    /// Writes <paramref name="head"/>, <paramref name="fill"/> bytes of <c>x</c> and
    /// <paramref name="tail"/>, 64 KiB at a time, until done or the gateway hangs up.
    /// </summary>
    private static async Task SendUntilHungUpAsync(HttpContext context, byte[] head, long fill, byte[] tail, TaskCompletionSource<long> sent)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        var written = 0L;
        var aborted = context.RequestAborted;
        try
        {
            await context.Response.Body.WriteAsync(head, aborted);
            written += head.Length;
            for (var left = fill; left > 0 && !aborted.IsCancellationRequested; left -= chunk.Length)
            {
                var piece = (int)Math.Min(left, chunk.Length);
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, piece), aborted);
                await context.Response.Body.FlushAsync(aborted);
                written += piece;

                // Once the gateway has hung up, Kestrel completes writes at once and signals the
                // abort from the thread pool: a pause lets the signal in before the loop races on.
                await Task.Delay(1, aborted);
            }

            if (!aborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(tail, aborted);
                written += tail.Length;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The gateway hung up: what was written so far is what it could have read.
        }
        finally
        {
            sent.TrySetResult(written);
        }
    }
}
