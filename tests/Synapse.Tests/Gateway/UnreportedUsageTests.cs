using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.RateLimiting;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A call that ends without the provider's usage — the client left, the stream broke, the provider
/// never reports any — is charged and recorded for what it really consumed: the prompt estimate
/// plus the tokens of the text the provider sent, marked as estimated. Before, such a stream was
/// settled at the prompt estimate alone and recorded with zero tokens, so cutting every stream off
/// before its usage chunk dodged <c>tokensPerMinute</c>.
/// </summary>
public sealed class UnreportedUsageTests : IAsyncLifetime
{
    private const string Long = "m-long";
    private const string Broken = "m-broken";
    private const string Silent = "m-silent";
    private const string Reporting = "m-reporting";
    private const int TokensPerMinute = 1_000_000;

    private const string SilentAnswer = "Take two tablets with water every six hours.";

    private MockOpenAiUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await MockOpenAiUpstream.StartAsync();

        // " word" is one o200k token, so the text received counts one token a word.
        _upstream.ReplyByModel[Long] = string.Join(' ', Enumerable.Repeat("word", 200));
        _upstream.ChunkDelayByModel[Long] = TimeSpan.FromMilliseconds(20);
        _upstream.ReplyByModel[Broken] = "Paracetamol dosage guidance follows";
        _upstream.BreakStreamByModel[Broken] = true;
        _upstream.ReplyByModel[Silent] = SilentAnswer;
        _upstream.NoUsageByModel[Silent] = true;
        _upstream.ReplyByModel[Reporting] = "one two three";
        _gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", _upstream.BaseUrl, "on-prem", Long, Broken, Silent, Reporting));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task AStreamTheClientLeavesBeforeItsUsage_IsChargedForThePromptAndTheTextReceived()
    {
        var (id, secret) = await KeyAsync();
        using var client = _gateway.ClientFor(secret);

        var received = new StringBuilder();
        var response = await client.SendAsync(Chat(Long, stream: true), HttpCompletionOption.ResponseHeadersRead);
        await using (var stream = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[4096];
            while (CountWords(received.ToString()) < 20)
            {
                var read = await stream.ReadAsync(buffer);
                Assert.True(read > 0, "the stream ended before the client left");
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }

        response.Dispose();
        var events = await _gateway.AuditEventsOfAsync(response);
        var request = Assert.Single(events, e => Kind(e) == "request");
        var completion = Assert.Single(events, e => Kind(e) == "completion");

        Assert.Equal("client_cancelled", completion["outcome"]!.GetValue<string>());
        var promptTokens = request["promptTokens"]!.GetValue<int>();
        Assert.Equal(promptTokens, completion["promptTokens"]!.GetValue<int>());

        // At least what the client read (the gateway may hold back a little more), never the whole answer.
        var completionTokens = completion["completionTokens"]!.GetValue<int>();
        Assert.InRange(completionTokens, CountWords(received.ToString()), 199);
        Assert.True(Detail(completion)["usageEstimated"]!.GetValue<bool>());

        await AssertChargedAsync(client, id, promptTokens + completionTokens);
    }

    [Fact]
    public async Task AStreamThatBreaksBeforeItsUsage_IsChargedForTheTextItSent()
    {
        var (id, secret) = await KeyAsync();
        using var client = _gateway.ClientFor(secret);

        using var response = await client.SendAsync(Chat(Broken, stream: true));
        Assert.Contains("upstream_error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var events = await _gateway.AuditEventsOfAsync(response);
        var request = Assert.Single(events, e => Kind(e) == "request");
        var completion = Assert.Single(events, e => Kind(e) == "completion");
        var promptTokens = request["promptTokens"]!.GetValue<int>();

        // The mock breaks the connection after its first word (the role chunk had gone out, so
        // the stream is broken, not failed); the word is charged whether or not response DLP's
        // hold-back window had released it to the client: the provider generated it.
        Assert.Equal("stream_broken", completion["outcome"]!.GetValue<string>());
        Assert.Equal((promptTokens, PromptTokenEstimator.CountText("Paracetamol")), (completion["promptTokens"]!.GetValue<int>(), completion["completionTokens"]!.GetValue<int>()));
        Assert.True(Detail(completion)["usageEstimated"]!.GetValue<bool>());
        await AssertChargedAsync(client, id, promptTokens + PromptTokenEstimator.CountText("Paracetamol"));
    }

    [Fact]
    public async Task AProviderThatReportsNoUsage_IsChargedForItsAnswer()
    {
        var (id, secret) = await KeyAsync();
        using var client = _gateway.ClientFor(secret);

        using var response = await client.SendAsync(Chat(Silent, stream: false));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var events = await _gateway.AuditEventsOfAsync(response);
        var promptTokens = Assert.Single(events, e => Kind(e) == "request")["promptTokens"]!.GetValue<int>();
        var completion = Assert.Single(events, e => Kind(e) == "completion");

        Assert.Equal((promptTokens, PromptTokenEstimator.CountText(SilentAnswer)), (completion["promptTokens"]!.GetValue<int>(), completion["completionTokens"]!.GetValue<int>()));
        Assert.True(Detail(completion)["usageEstimated"]!.GetValue<bool>());
        await AssertChargedAsync(client, id, promptTokens + PromptTokenEstimator.CountText(SilentAnswer));
    }

    [Fact]
    public async Task ReportedUsage_IsRecordedAsReported_AndNotMarkedEstimated()
    {
        var (_, secret) = await KeyAsync();
        using var client = _gateway.ClientFor(secret);

        using var response = await client.SendAsync(Chat(Reporting, stream: true));
        Assert.Contains("[DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var completion = Assert.Single(await _gateway.AuditEventsOfAsync(response), e => Kind(e) == "completion");
        Assert.Equal(3, completion["completionTokens"]!.GetValue<int>()); // the mock reports one token a word
        Assert.Null(Detail(completion)["usageEstimated"]);
    }

    /// <summary>
    /// The key's window holds exactly <paramref name="charged"/> for the finished request: a next
    /// request (its own reservation its prompt plus its <c>max_tokens</c>) sees the rest.
    /// </summary>
    private async Task AssertChargedAsync(HttpClient client, string keyId, int charged)
    {
        using var next = await client.SendAsync(Chat(Reporting, stream: false, maxTokens: 5));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        var nextPrompt = Assert.Single(await _gateway.AuditEventsOfAsync(next), e => Kind(e) == "request")["promptTokens"]!.GetValue<int>();
        var remaining = int.Parse(next.Headers.GetValues("x-ratelimit-remaining-tokens").Single(), CultureInfo.InvariantCulture);
        Assert.True(TokensPerMinute - charged - (nextPrompt + 5) == remaining, $"key {keyId}: {remaining} tokens left, expected {TokensPerMinute - charged - (nextPrompt + 5)} ({charged} charged)");
    }

    private async Task<(string Id, string Secret)> KeyAsync()
    {
        var key = await _gateway.CreateKeyAsync([Long, Broken, Silent, Reporting]);
        (await _gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{key.Id}/limits", new { requestsPerMinute = 1000, tokensPerMinute = TokensPerMinute, maxConcurrentRequests = 4 })).EnsureSuccessStatusCode();
        return key;
    }

    private static HttpRequestMessage Chat(string model, bool stream, int? maxTokens = null)
    {
        var body = new JsonObject { ["model"] = model, ["stream"] = stream, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "How often may I take it?" }) };
        if (maxTokens is { } max)
        {
            body["max_tokens"] = max;
        }

        return new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    private static int CountWords(string sse) => sse.Split("word", StringSplitOptions.None).Length - 1;

    private static string Kind(JsonObject e) => e["kind"]!.GetValue<string>();

    private static JsonObject Detail(JsonObject e) => e["detail"] is JsonValue d ? JsonNode.Parse(d.GetValue<string>())!.AsObject() : [];
}
