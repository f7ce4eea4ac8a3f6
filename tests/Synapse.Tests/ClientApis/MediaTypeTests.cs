using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Fields;
using static Synapse.Tests.ClientApis.ClientApiKeys;

namespace Synapse.Tests.ClientApis;

/// <summary>
/// A media type reaches the provider as the client wrote it (Anthropic's <c>media_type</c>, a data
/// URL's header on every API): one that is not a well-formed MIME type — a line break, another
/// control character, no subtype, a parameter without a value — is refused with a 400 in the
/// endpoint's own error shape, audited, and never forwarded.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class MediaTypeTests(WireFormatsFixture fixture)
{
    private static readonly string Png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]);

    public static TheoryData<string> Malformed =>
    [
        "image/png\r\nX-Injected: yes",
        "image/png\n",
        "image/png\r",
        "image/png\u0000",
        "image/png\u001b[2J",
        "image/png\u007f",
        "image/\tpng",
        "image png",
        "imagepng",
        "image/",
        "/png",
        "image/png;",
        "image/png;name",
        "image/png;=x",
        "image/png;name=a b",
        "image/png;name=\"unterminated",
        "image/png;name=\"a\r\nb\"",
        "image/png;name=jane@example.com",
        "image/p\u00e9ng",
        "image/png ",
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    [InlineData("")]
    public async Task AnAnthropicImagesMalformedMediaType_Is400InAnthropicsShape_AuditedAndNotForwarded(string mediaType)
    {
        var (model, provider) = fixture.ByType["openai"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = Marker();

        var response = await client.PostAsJsonAsync("/v1/messages", AnthropicImage(model, marker, mediaType));
        var error = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", error!["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["error"]!["type"]!.GetValue<string>());
        Assert.StartsWith("messages[0].content[1].source.media_type ", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var row = Assert.Single(await fixture.Gateway.AuditEventsOfAsync(response));
        Assert.Equal("invalid_request", row["outcome"]!.GetValue<string>());
        Assert.Equal(400, row["httpStatus"]!.GetValue<int>());
        Assert.Empty(provider.BodiesWith(marker));
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/svg+xml;charset=utf-8")]
    [InlineData("image/png; name=\"jane doe.png\"")]
    [InlineData("image/vnd.ms-photo;q=0.9")]
    public async Task AWellFormedMediaType_IsForwardedAsWritten(string mediaType)
    {
        var (model, provider) = fixture.ByType["anthropic"];
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var marker = Marker();

        var response = await client.PostAsJsonAsync("/v1/messages", AnthropicImage(model, marker, mediaType));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var source = Sent(provider, marker)["messages"]!.AsArray().SelectMany(m => m!["content"] as JsonArray ?? []).Single(b => b!["type"]!.GetValue<string>() == "image")!["source"]!;
        Assert.Equal(mediaType, source["media_type"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task AChatCompletionsDataUrlsMalformedMediaType_Is400InOpenAisShape_ForImagesAndFiles(string mediaType)
    {
        var (model, provider) = fixture.ByType["anthropic"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();
        var url = $"data:{mediaType};base64,{Png}";
        var image = new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = url } };
        var file = new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["filename"] = "a.png", ["file_data"] = url } };

        foreach (var (part, param) in new[] { (image, "messages[0].content[1].image_url.url"), (file, "messages[0].content[1].file.file_data") })
        {
            var body = new JsonObject
            {
                ["model"] = model,
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = marker }, part) }),
            };
            var response = await client.PostAsJsonAsync("/v1/chat/completions", body);
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
            Assert.Equal(param, error["param"]!.GetValue<string>());
            Assert.Equal("invalid_request", Assert.Single(await fixture.Gateway.AuditEventsOfAsync(response))["outcome"]!.GetValue<string>());
        }

        Assert.Empty(provider.BodiesWith(marker));
    }

    [Fact]
    public async Task AResponsesInputImagesMalformedMediaType_Is400InOpenAisShape_NamingTheClientsPart()
    {
        var (model, provider) = fixture.ByType["gemini"];
        using var client = fixture.Gateway.ClientFor(await CreateAsync(fixture));
        var marker = Marker();

        var response = await client.PostAsJsonAsync("/v1/responses", new
        {
            model,
            input = new object[]
            {
                new
                {
                    role = "user",
                    content = new object[]
                    {
                        new { type = "input_text", text = marker },
                        new { type = "input_image", image_url = $"data:image/png\r\nX-Injected: yes;base64,{Png}" },
                    },
                },
            },
        });
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("input[0].content[1]", error["param"]!.GetValue<string>());
        Assert.Equal("invalid_request", Assert.Single(await fixture.Gateway.AuditEventsOfAsync(response))["outcome"]!.GetValue<string>());
        Assert.Empty(provider.BodiesWith(marker));
    }

    private static object AnthropicImage(string model, string marker, string mediaType) => new
    {
        model,
        max_tokens = 10,
        messages = new[]
        {
            new
            {
                role = "user",
                content = new object[]
                {
                    new { type = "text", text = marker },
                    new { type = "image", source = new { type = "base64", media_type = mediaType, data = Png } },
                },
            },
        },
    };

    private static string Marker() => "m" + Guid.NewGuid().ToString("N");
}
