using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// Every way a request can be wrong on the wire gets a 4xx in OpenAI's shape and its own audit
/// row — over real HTTP, with framing no HTTP client library would send.
/// </summary>
[Trait("Category", "Slow")]
[Collection(EdgeGatewayCollection.Name)]
public sealed class BadInputTests(EdgeGatewayFixture fixture)
{
    private static readonly byte[] ValidBody = Encoding.UTF8.GetBytes($$"""{"model":"{{EdgeGatewayFixture.Model}}","messages":[{"role":"user","content":"hello"}]}""");

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task AWrongContentType_Gets415(string? contentType)
    {
        var response = await SendAsync(ValidBody, contentType);

        await AssertRefusedAsync(response, 415, "unsupported_media_type");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("Application/JSON; charset=UTF-8")]
    [InlineData("application/json;charset=utf-8")]
    public async Task JsonContentTypes_AreAccepted(string contentType)
    {
        var response = await SendAsync(ValidBody, contentType);

        Assert.Equal(200, response.Status);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("identity, gzip")]
    public async Task ACompressedBody_Gets415_ThatSaysSo(string coding)
    {
        var upstreamBefore = fixture.Upstream.Requests.Count;

        var response = await SendAsync(Gzip.Compress(ValidBody), contentEncoding: coding);

        await AssertRefusedAsync(response, 415, "unsupported_media_type");
        Assert.Contains("uncompressed", JsonNode.Parse(response.Text)!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(upstreamBefore, fixture.Upstream.Requests.Count);
    }

    [Theory]
    [InlineData("identity")]
    [InlineData("")]
    public async Task AnUncompressedBody_NamedSo_IsAccepted(string coding)
    {
        var response = await SendAsync(ValidBody, contentEncoding: coding);

        Assert.Equal(200, response.Status);
    }

    public static TheoryData<string, byte[]> UnreadableText => new()
    {
        { "invalid UTF-8", [.. "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"a"u8.ToArray(), 0xc3, 0x28, .. "\"}]}"u8.ToArray()] },
        { "UTF-8 encoded surrogate", [.. "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\""u8.ToArray(), 0xed, 0xa0, 0x80, .. "\"}]}"u8.ToArray()] },
        { "escaped lone surrogate in a property name", "{\"\\udc00\":1,\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"u8.ToArray() },
        { "escaped lone surrogate", "{\"model\":\"llama3\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}"u8.ToArray() },
        { "control character in model", "{\"model\":\"llama3\\u0000\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"u8.ToArray() },
        { "over-long model", Encoding.UTF8.GetBytes("{\"model\":\"" + new string('m', 5000) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}") },
    };

    [Theory]
    [MemberData(nameof(UnreadableText))]
    public async Task UnreadableText_Gets400(string what, byte[] body)
    {
        // The collection's tests run one at a time: whatever reaches the upstream from here on is this request.
        var upstreamBefore = fixture.Upstream.Requests.Count;

        var response = await SendAsync(body);

        Assert.True(response.Status == 400, $"{what}: {response.Status} {response.Text}");
        await AssertRefusedAsync(response, 400, "invalid_request_error");
        Assert.Equal(upstreamBefore, fixture.Upstream.Requests.Count);
    }

    public static TheoryData<string, string> BrokenChunks => new()
    {
        { "size is not hex", "zz\r\nhello\r\n0\r\n\r\n" },
        { "no CRLF after the data", "5\r\nhelloXX0\r\n\r\n" },
        { "size overflows", "fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n" },
        { "size line never ends", "5" + new string(' ', 10_000) },
    };

    [Theory]
    [MemberData(nameof(BrokenChunks))]
    public async Task BrokenChunkedFraming_Gets400(string what, string framing)
    {
        var (_, secret) = await fixture.CreateKeyAsync();
        var request = Concat(RawHttp.Head("/v1/chat/completions", [("Authorization", "Bearer " + secret), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]), Encoding.ASCII.GetBytes(framing));

        var response = await RawHttp.SendAsync(fixture.Gateway.BaseAddress, LoopbackSource.Next(), request, TimeSpan.FromSeconds(20));

        Assert.True(response.Status == 400, $"{what}: {response.Status} {response.Text}");
        await AssertRefusedAsync(response, 400, "invalid_request_error");
    }

    /// <summary>
    /// A client that closes its side before the declared length has sent all it ever will; Kestrel
    /// treats that as the connection ending, so there may be nobody left to answer — but the
    /// attempt is still audited.
    /// </summary>
    [Fact]
    public async Task ABodyEndingBeforeItsContentLength_IsAudited_AndAnsweredIfTheClientStillListens()
    {
        var (_, secret) = await fixture.CreateKeyAsync();
        var source = LoopbackSource.Next();
        var head = RawHttp.Head("/v1/chat/completions", [("Authorization", "Bearer " + secret), ("Content-Type", "application/json"), ("Content-Length", "500")]);

        RawHttp.Response? response = null;
        try
        {
            response = await RawHttp.SendAsync(fixture.Gateway.BaseAddress, source, async (stream, token) =>
            {
                await stream.WriteAsync(Concat(head, ValidBody), token);
                ((NetworkStream)stream).Socket.Shutdown(SocketShutdown.Send);
            }, TimeSpan.FromSeconds(20));
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
        }

        if (response is not null)
        {
            await AssertRefusedAsync(response, 400, "invalid_request_error");
            return;
        }

        var rows = await Eventually.ValueAsync(
            async () => (await fixture.AuditSinceAsync(DateTimeOffset.UtcNow.AddMinutes(-5))).Where(r => r.ClientAddress == source.ToString()).ToList(),
            found => found.Count > 0);

        var row = Assert.Single(rows);
        Assert.Contains(row.Outcome, new[] { "invalid_request", "client_cancelled" });
        Assert.NotNull(row.RequestId);
    }

    [Fact]
    public async Task ABodyThatStalls_Gets408()
    {
        var (_, secret) = await fixture.CreateKeyAsync();
        var head = RawHttp.Head("/v1/chat/completions", [("Authorization", "Bearer " + secret), ("Content-Type", "application/json"), ("Content-Length", "5000")]);

        // Ten bytes of five thousand, then nothing: the connection stays open and silent.
        var response = await RawHttp.SendAsync(fixture.Gateway.BaseAddress, LoopbackSource.Next(), Concat(head, ValidBody[..10]), TimeSpan.FromSeconds(15));

        await AssertRefusedAsync(response, 408, "request_timeout");
    }

    [Fact]
    public async Task ABodyTricklingAboveTheMinimumRate_IsCutAtTheDeadline_With408()
    {
        var (_, secret) = await fixture.CreateKeyAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"model":"{{EdgeGatewayFixture.Model}}","messages":[{"role":"user","content":"{{new string('a', 4000)}}"}]}""");
        var head = RawHttp.Head("/v1/chat/completions", [("Authorization", "Bearer " + secret), ("Content-Type", "application/json"), ("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture))]);
        var started = DateTime.UtcNow;

        var response = await RawHttp.SendAsync(fixture.Gateway.BaseAddress, LoopbackSource.Next(), async (stream, token) =>
        {
            await stream.WriteAsync(head, token);
            for (var offset = 0; offset < body.Length && !token.IsCancellationRequested; offset += 50)
            {
                // 500 B/s: twice Kestrel's minimum rate, so only the total deadline (3 s) stops it.
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(50, body.Length - offset)), token);
                await Task.Delay(100, token);
            }
        }, TimeSpan.FromSeconds(20));

        await AssertRefusedAsync(response, 408, "request_timeout");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8.5));
    }

    [Fact]
    public async Task ABodyOverTheLimit_Gets413_DeclaredOrChunked()
    {
        var (_, secret) = await fixture.CreateKeyAsync();
        var huge = new byte[70_000];
        Array.Fill(huge, (byte)' ');
        var declared = Concat(RawHttp.Head("/v1/chat/completions", [("Authorization", "Bearer " + secret), ("Content-Type", "application/json"), ("Content-Length", "70000")]), huge);
        var chunked = Concat(RawHttp.Head("/v1/chat/completions", [("Authorization", "Bearer " + secret), ("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")]), RawHttp.Chunked(huge, 4096));

        await AssertRefusedAsync(await RawHttp.SendAsync(fixture.Gateway.BaseAddress, LoopbackSource.Next(), declared, TimeSpan.FromSeconds(20)), 413, "request_too_large");
        await AssertRefusedAsync(await RawHttp.SendAsync(fixture.Gateway.BaseAddress, LoopbackSource.Next(), chunked, TimeSpan.FromSeconds(20)), 413, "request_too_large");
    }

    [Fact]
    public async Task AnEmptyBody_Gets400()
    {
        var response = await SendAsync([]);

        await AssertRefusedAsync(response, 400, "invalid_request_error");
    }

    private async Task<RawHttp.Response> SendAsync(byte[] body, string? contentType = "application/json", string? contentEncoding = null)
    {
        var (_, secret) = await fixture.CreateKeyAsync();
        List<(string, string)> headers = [("Authorization", "Bearer " + secret), ("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture))];
        if (contentType is not null)
        {
            headers.Add(("Content-Type", contentType));
        }

        if (contentEncoding is not null)
        {
            headers.Add(("Content-Encoding", contentEncoding));
        }

        return await RawHttp.SendAsync(fixture.Gateway.BaseAddress, LoopbackSource.Next(), Concat(RawHttp.Head("/v1/chat/completions", headers), body), TimeSpan.FromSeconds(20));
    }

    private async Task AssertRefusedAsync(RawHttp.Response response, int status, string code)
    {
        Assert.True(response.Status == status, $"expected {status}, got {response.Status}: {response.Text}");
        var error = JsonNode.Parse(response.Text)!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));

        var requestId = response.Header("x-request-id");
        Assert.NotNull(requestId);
        var rows = await fixture.AuditSinceAsync(DateTimeOffset.UtcNow.AddMinutes(-5));
        var row = Assert.Single(rows, r => r.RequestId == requestId);
        Assert.Equal("rejection", row.Kind.ToString().ToLowerInvariant());
        Assert.Equal("invalid_request", row.Outcome);
        Assert.Equal(status, row.HttpStatus);
    }

    private static byte[] Concat(byte[] a, byte[] b) => [.. a, .. b];
}
