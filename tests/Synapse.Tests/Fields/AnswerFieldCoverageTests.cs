using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using static Synapse.Tests.Providers.ProviderTestHelpers;

namespace Synapse.Tests.Fields;

/// <summary>
/// Issue 9 §2 over real HTTP: the client's answer is built from fields the gateway understands and
/// has filtered — every text a client can read is scanned, in whole answers and in streams with
/// the same hold-back, through the OpenAI, Anthropic and Gemini translations; unknown fields are
/// dropped. Every answer must still be one the official OpenAI SDK reads.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class AnswerFieldCoverageTests(WireFormatsFixture fixture)
{
    public static TheoryData<int> Cases() => new(Enumerable.Range(0, AnswerFieldCase.All.Length));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ABlockedValue_InThisAnswerField_NeverReachesTheClient(int index)
    {
        var field = AnswerFieldCase.All[index];
        using var client = await fixture.ClientAsync();
        foreach (var stream in new[] { false, true })
        {
            var (text, finish) = await AskAsync(client, field, PromptFieldCases.Card, stream);

            Assert.DoesNotContain("4111", text, StringComparison.Ordinal);
            Assert.True(field.Scanned ? finish == "content_filter" : finish != "content_filter", $"{field} (stream {stream}) finished with {finish}: {text}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ARedactedValue_InThisAnswerField_ReachesTheClientRedacted(int index)
    {
        var field = AnswerFieldCase.All[index];
        using var client = await fixture.ClientAsync();
        foreach (var stream in new[] { false, true })
        {
            var (text, finish) = await AskAsync(client, field, PromptFieldCases.Email, stream);

            Assert.DoesNotContain("jane.doe", text, StringComparison.Ordinal);
            Assert.DoesNotContain("example.com\"", text, StringComparison.Ordinal);
            Assert.NotEqual("content_filter", finish);
            if (field.Scanned)
            {
                Assert.Contains("[REDACTED:EMAIL]", text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Sends a request whose answer is scripted by the case; returns the client's whole response text and the last finish reason.</summary>
    private async Task<(string Text, string? Finish)> AskAsync(HttpClient client, AnswerFieldCase field, string value, bool stream)
    {
        var type = field.Format switch { WireFormat.Anthropic => "anthropic", WireFormat.Gemini => "gemini", _ => "openai" };
        var (model, provider) = fixture.ByType[type];
        var marker = "a" + Guid.NewGuid().ToString("N");
        if (stream)
        {
            provider.ScriptStream(marker, field.Stream(value));
        }
        else
        {
            provider.Script(marker, field.Whole(value));
        }

        var response = await client.PostScannedAsync("/v1/chat/completions", new { model, stream, messages = new[] { new { role = "user", content = marker } } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{field} (stream {stream}): {(int)response.StatusCode} {text}");
        Assert.NotEmpty(provider.BodiesWith(marker));
        if (!stream)
        {
            var completion = ParseWithOpenAiSdk(Encoding.UTF8.GetBytes(text));
            return (text, JsonNode.Parse(text)!["choices"]![0]!["finish_reason"]?.GetValue<string>() ?? completion.FinishReason.ToString());
        }

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        string? finish = null;
        foreach (var e in events[..^1])
        {
            ParseChunkWithOpenAiSdk(Encoding.UTF8.GetBytes(e["data: ".Length..]));
            foreach (var choice in JsonNode.Parse(e["data: ".Length..])!["choices"]!.AsArray())
            {
                finish = choice!["finish_reason"]?.GetValue<string>() ?? finish;
            }
        }

        return (text, finish);
    }
}
