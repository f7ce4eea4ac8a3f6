using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// The body reader takes two ways (issue 13): a small body of declared length is read straight
/// into one array; a larger or undeclared one grows with what arrives. Either way the provider
/// must receive the whole prompt, byte for byte.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RequestBodyFramingTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData(1_000, true)]
    [InlineData(200_000, true)]
    [InlineData(100_000, false)]
    public async Task ABodyOfAnySizeAndFraming_ReachesTheProviderWhole(int promptLength, bool declared)
    {
        var (_, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        using var client = fixture.Gateway.ClientFor(secret);
        var marker = Guid.NewGuid().ToString("N");
        var prompt = BuildPrompt(promptLength, marker);
        var json = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["model"] = GatewayFixture.OnPremModel,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
        }.ToJsonString());
        HttpContent content = declared ? new ByteArrayContent(json) : new StreamContent(new UnseekableStream(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/v1/chat/completions", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(declared, response.RequestMessage!.Content!.Headers.ContentLength is not null);
        var upstream = Assert.Single(fixture.Upstream.RequestsFor(marker)).Json;
        var sent = upstream["messages"]!.AsArray().Last()!["content"]!.GetValue<string>();
        Assert.Equal(prompt, sent);
    }

    /// <summary>Words with the marker at both ends, so a truncated or shifted body shows.</summary>
    private static string BuildPrompt(int length, string marker)
    {
        var text = new StringBuilder(length + 2 * marker.Length).Append(marker).Append(' ');
        while (text.Length < length)
        {
            text.Append("summarise the quarterly report ");
        }

        return text.Append(marker).ToString();
    }

    /// <summary>A stream whose length is unknown, so HttpClient sends it chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
