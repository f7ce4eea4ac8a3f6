using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Synapse.Tests.Fields;

/// <summary>
/// Issue 9 §3 over real HTTP: every string a provider receives is scanned or not forwarded — for
/// each place in a request, through each provider type's translation, streamed or not. A card
/// number (a block category) must be refused before any provider sees the request; an e-mail
/// address (a redact category) must never reach a provider in any form.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class PromptFieldCoverageTests(WireFormatsFixture fixture)
{
    public static TheoryData<string> Cases() => new(PromptFieldCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ABlockedValue_InThisField_NeverReachesAnyProvider(string field)
    {
        using var client = await fixture.ClientAsync();
        foreach (var (type, stream) in Routes())
        {
            var (marker, response) = await SendAsync(client, field, PromptFieldCases.Card, type, stream);
            var body = await response.Content.ReadAsStringAsync();
            var sent = fixture.ByType[type].Provider.BodiesWith(marker);
            if (PromptFieldCases.Dropped.Contains(field))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{field} via {type} (stream {stream}): {(int)response.StatusCode} {body}");
                Assert.NotEmpty(sent);
                Assert.All(sent, s => Assert.DoesNotContain("4111", s, StringComparison.Ordinal));
                Assert.Contains("messages[1].", response.Headers.GetValues("x-synapse-dropped-fields").Single(), StringComparison.Ordinal);
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field} via {type} (stream {stream}): {(int)response.StatusCode} {body}");
            Assert.Equal("dlp_blocked", JsonNode.Parse(body)!["error"]!["code"]!.GetValue<string>());
            Assert.DoesNotContain("4111", body, StringComparison.Ordinal);
            Assert.Empty(sent);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ARedactedValue_InThisField_ReachesNoProviderInAnyForm(string field)
    {
        using var client = await fixture.ClientAsync();
        foreach (var (type, stream) in Routes())
        {
            var (marker, response) = await SendAsync(client, field, PromptFieldCases.Email, type, stream);
            var body = await response.Content.ReadAsStringAsync();
            var sent = fixture.ByType[type].Provider.BodiesWith(marker);
            var translatable = response.StatusCode == HttpStatusCode.OK;

            // Anthropic and Gemini have no place for some OpenAI parts (audio, files): their
            // translation refuses those with a 400 before anything is sent. OpenAI-shaped providers take all.
            Assert.True(
                translatable || (type is "anthropic" or "gemini" && response.StatusCode == HttpStatusCode.BadRequest && body.Contains("invalid_request_error", StringComparison.Ordinal)),
                $"{field} via {type} (stream {stream}): {(int)response.StatusCode} {body}");
            Assert.True(translatable ? sent.Count >= 1 : sent.Count == 0, $"{field} via {type} (stream {stream}): {sent.Count} requests reached the provider");
            foreach (var form in PromptFieldCases.Forms(PromptFieldCases.Email))
            {
                Assert.All(sent, s => Assert.DoesNotContain(form, s, StringComparison.Ordinal));
            }

            Assert.All(sent, s => Assert.DoesNotContain("jane.doe", s, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task LogitBias_KeysMustBeTokenIds_SoNoTextRidesInThem()
    {
        using var client = await fixture.ClientAsync();
        var body = PromptFieldCases.All["user"]("someone");
        body["model"] = fixture.ByType["openai"].Model;
        body["logit_bias"] = new JsonObject { ["4111111111111111"] = 5 };

        var response = await client.PostScannedAsync("/v1/chat/completions", body);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("logit_bias", error["param"]!.GetValue<string>());
        Assert.DoesNotContain("4111", error.ToJsonString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> ForwardedFields()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (path, field, value) in PromptFieldCases.Forwarded())
        {
            data.Add(path, field, value);
        }

        return data;
    }

    /// <summary>
    /// A card number, as a string and as a number, in every field a binding forwards, on every
    /// surface: refused before anything is sent, or sent without it. A request without the field
    /// first proves that the surface reaches the provider at all (count_tokens never does).
    /// </summary>
    [Theory]
    [MemberData(nameof(ForwardedFields))]
    public async Task ACardNumber_InEveryForwardedField_OfEverySurface_NeverReachesTheProvider(string path, string field, string value)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["openai"];
        var control = "m" + Guid.NewGuid().ToString("N");
        await client.PostScannedAsync(path, PromptFieldCases.ForSurface(path, model, control, field, null));
        Assert.Equal(path.EndsWith("/count_tokens", StringComparison.Ordinal) ? 0 : 1, provider.BodiesWith(control).Count);

        foreach (var card in new[] { "\"4111 1111 1111 1111\"", "4111111111111111", "\"4111111111111111\"" })
        {
            var marker = "m" + Guid.NewGuid().ToString("N");
            var body = PromptFieldCases.ForSurface(path, model, marker, field, JsonNode.Parse(value.Replace("CARD", card, StringComparison.Ordinal)));
            var response = await client.PostScannedAsync(path, body);
            var answer = await response.Content.ReadAsStringAsync();
            var sent = provider.BodiesWith(marker);

            Assert.True((int)response.StatusCode < 500, $"{path} {field}={card}: {(int)response.StatusCode} {answer}");
            Assert.All(sent, s => Assert.DoesNotContain("4111111111111111", s.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
            Assert.DoesNotContain("4111", answer, StringComparison.Ordinal);
        }
    }

    private static IEnumerable<(string Type, bool Stream)> Routes() =>
        WireFormatsFixture.Types.SelectMany(t => new[] { (t, false), (t, true) });

    private async Task<(string Marker, HttpResponseMessage Response)> SendAsync(HttpClient client, string field, string value, string type, bool stream)
    {
        var marker = "m" + Guid.NewGuid().ToString("N");
        var body = PromptFieldCases.All[field](value);
        body["model"] = fixture.ByType[type].Model;
        body["messages"]!.AsArray().Insert(0, PromptFieldCases.User(marker));
        if (stream)
        {
            body["stream"] = true;
        }

        return (marker, await client.PostScannedAsync("/v1/chat/completions", body));
    }
}
