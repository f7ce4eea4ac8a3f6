using System.Net;
using System.Net.Http.Json;
using System.Text;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// Clients that go away: mid-stream, or right after sending, before the call has even started.
/// Each admitted request must still leave its audit events and give its concurrency slot back.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ClientDepartureTests : IAsyncLifetime
{
    private const string LongAnswer = "llama3";
    private const string ShortAnswer = "llama3-mini";

    private MockOpenAiUpstream _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await MockOpenAiUpstream.StartAsync();
        _upstream.ReplyByModel[LongAnswer] = string.Join(' ', Enumerable.Repeat("word", 100));
        _upstream.ReplyByModel[ShortAnswer] = string.Join(' ', Enumerable.Repeat("word", 20));
        _upstream.ChunkDelayByModel[LongAnswer] = TimeSpan.FromMilliseconds(50);
        _upstream.ChunkDelayByModel[ShortAnswer] = TimeSpan.FromMilliseconds(25);
        _gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", _upstream.BaseUrl, "on-prem", LongAnswer, ShortAnswer));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task AClientLeavingMidStream_IsAuditedAsClientCancelled_AndFreesItsSlot()
    {
        var (_, secret) = await KeyWithOneSlotAsync();
        using var client = _gateway.ClientFor(secret);

        using var response = await client.SendAsync(StreamRequest(LongAnswer), HttpCompletionOption.ResponseHeadersRead);
        await using (var stream = await response.Content.ReadAsStreamAsync())
        {
            await stream.ReadExactlyAsync(new byte[16]);
        }

        // .NET's HTTP client drains an abandoned response for up to 2 s before it closes the
        // connection, so the answer is long enough to outlast that.
        response.Dispose();
        var events = await _gateway.AuditEventsOfAsync(response);
        var completion = Assert.Single(events, e => e["kind"]!.GetValue<string>() == "completion");

        Assert.Equal("client_cancelled", completion["outcome"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await NextStatusAsync(client, ShortAnswer, stream: false));
    }

    [Fact]
    public async Task ClientsLeavingBeforeTheirCallStarts_NeverLeakASlotOrAnAuditEvent()
    {
        var (keyId, secret) = await KeyWithOneSlotAsync();
        using var client = _gateway.ClientFor(secret);

        // Each leaves after a few milliseconds: some before admission, some between admission
        // and the start of the provider call, some once the stream has begun.
        for (var i = 0; i < 18; i++)
        {
            using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(i % 6));
            try
            {
                using var response = await client.SendAsync(StreamRequest(ShortAnswer), HttpCompletionOption.ResponseHeadersRead, leave.Token);
            }
            catch (OperationCanceledException)
            {
                // Gone.
            }

            // One slot: the next departure must wait until this call has given it back.
            Assert.Equal(HttpStatusCode.OK, await NextStatusAsync(client, ShortAnswer, stream: false));
        }

        var counts = await Eventually.ValueAsync(
            async () =>
            {
                var page = await _gateway.Admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/admin/api/audit?keyId={keyId}&limit=1000");
                var items = page!["items"]!.AsArray();
                return (Requests: items.Count(e => e!["kind"]!.GetValue<string>() == "request"), Completions: items.Count(e => e!["kind"]!.GetValue<string>() == "completion"));
            },
            c => c.Requests == c.Completions,
            TimeSpan.FromSeconds(10));

        Assert.Equal(counts.Requests, counts.Completions);
    }

    private async Task<(string Id, string Secret)> KeyWithOneSlotAsync()
    {
        var key = await _gateway.CreateKeyAsync([LongAnswer, ShortAnswer]);
        (await _gateway.Admin.PutAsJsonAsync($"/admin/api/keys/{key.Id}/limits", new { requestsPerMinute = 1000, tokensPerMinute = 10_000_000, maxConcurrentRequests = 1 })).EnsureSuccessStatusCode();
        return key;
    }

    private static HttpRequestMessage StreamRequest(string model, bool stream = true) => new(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = new StringContent($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json"),
    };

    /// <summary>The status of the key's next request once its one slot is free again (429 while it is taken).</summary>
    private static async Task<HttpStatusCode> NextStatusAsync(HttpClient client, string model, bool stream)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await client.SendAsync(StreamRequest(model, stream));
            if (response.StatusCode != HttpStatusCode.TooManyRequests || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }

            await Task.Delay(50);
        }
    }
}
