using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Synapse.Tests.Fields.WireAnswers;

namespace Synapse.Tests.Fields;

/// <summary>
/// Log probabilities spell the answer token by token: they go out only with a choice that went out
/// whole, never while its text is held back, and never when their own tokens carry what DLP stops.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class LogprobsTests(WireFormatsFixture fixture)
{
    [Fact]
    public async Task CleanAnswer_KeepsItsLogprobs_WholeAndStreamed()
    {
        using var client = await fixture.ClientAsync();

        var whole = await AskAsync(client, OpenAi("""{"role":"assistant","content":"Hello there"}""", logprobs: Logprobs("Hello", " there")));
        var streamed = await AskStreamAsync(client, [$$"""{"content":"Hello"}|{{Logprobs("Hello")}}""", $$"""{"content":" there"}|{{Logprobs(" there")}}"""]);

        Assert.Equal(["Hello", " there"], Tokens(whole["choices"]![0]!["logprobs"]));
        Assert.Equal(["Hello", " there"], streamed.Chunks.SelectMany(c => Tokens(c["choices"]!.AsArray().FirstOrDefault()?["logprobs"])).ToArray());
    }

    [Fact]
    public async Task WithheldAnswer_NeverLeaksThroughLogprobs_WholeOrStreamed()
    {
        using var client = await fixture.ClientAsync();
        string[] tokens = ["Card", " 4111", " 1111", " 1111", " 1111"];

        var whole = await AskAsync(client, OpenAi($$"""{"role":"assistant","content":{{Quote(string.Concat(tokens))}}}""", logprobs: Logprobs(tokens)));
        var streamed = await AskStreamAsync(client, [.. tokens.Select(t => $$"""{"content":{{Quote(t)}}}|{{Logprobs(t)}}""")]);

        Assert.Equal("content_filter", whole["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.DoesNotContain("4111", whole.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("4111", streamed.Text, StringComparison.Ordinal);
        Assert.Contains("content_filter", streamed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedactedAnswer_GoesOutWithoutLogprobs()
    {
        using var client = await fixture.ClientAsync();
        string[] tokens = ["Write", " to", " jane", ".doe", "@example", ".com"];

        var whole = await AskAsync(client, OpenAi($$"""{"role":"assistant","content":{{Quote(string.Concat(tokens))}}}""", logprobs: Logprobs(tokens)));
        var streamed = await AskStreamAsync(client, [.. tokens.Select(t => $$"""{"content":{{Quote(t)}}}|{{Logprobs(t)}}""")]);

        Assert.Equal("Write to [REDACTED:EMAIL]", whole["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Null(whole["choices"]![0]!["logprobs"]);
        Assert.DoesNotContain("jane", streamed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"token\"", streamed.Text, StringComparison.Ordinal);
        Assert.Contains("[REDACTED:EMAIL]", streamed.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlternativeTokens_CarryingACard_DropTheLogprobs_ButNotTheCleanAnswer()
    {
        using var client = await fixture.ClientAsync();
        string[] chosen = ["Your", " total", " is", " ten", " dollars"];
        string[] second = ["4111", " 1111", " 1111", " 1111", "."];
        var logprobs = $$"""{"content":[{{string.Join(",", chosen.Select((t, i) => $$"""{"token":{{Quote(t)}},"logprob":-0.1,"bytes":null,"top_logprobs":[{"token":{{Quote(t)}},"logprob":-0.1,"bytes":null},{"token":{{Quote(second[i])}},"logprob":-2.5,"bytes":null}]}"""))}}],"refusal":null}""";

        var whole = await AskAsync(client, OpenAi($$"""{"role":"assistant","content":{{Quote(string.Concat(chosen))}}}""", logprobs: logprobs));

        Assert.Equal("Your total is ten dollars", whole["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Null(whole["choices"]![0]!["logprobs"]);
        Assert.DoesNotContain("4111", whole.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensThatDisagreeWithTheirBytes_AreScannedAsTheyAreRelayed()
    {
        using var client = await fixture.ClientAsync();
        const string Token = "Card 4111 1111 1111 1111 key AKIAZ7QW3RT5YU2IOPLK";
        var chosen = $$"""{"content":[{"token":{{Quote(Token)}},"logprob":-0.1,"bytes":[72,101],"top_logprobs":[{"token":"He","logprob":-0.1,"bytes":[72,101]},{"token":{{Quote(Token)}},"logprob":-2.5,"bytes":[1]}]}],"refusal":null}""";
        var alternative = $$"""{"content":[{"token":"He","logprob":-0.1,"bytes":[72,101],"top_logprobs":[{"token":{{Quote(Token)}},"logprob":-2.5,"bytes":[1]}]}],"refusal":null}""";

        var whole = await AskAsync(client, OpenAi("""{"role":"assistant","content":"He"}""", logprobs: chosen));
        var streamed = await AskStreamAsync(client, [$$"""{"content":"He"}|{{alternative}}"""]);

        // The answer itself is clean and goes out; only its log probabilities are withheld.
        Assert.Equal("He", whole["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Null(whole["choices"]![0]!["logprobs"]);
        Assert.Contains("\"content\":\"He\"", streamed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("4111", whole.ToJsonString() + streamed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIA", whole.ToJsonString() + streamed.Text, StringComparison.Ordinal);
    }

    private static string Logprobs(params string[] tokens) =>
        $$"""{"content":[{{string.Join(",", tokens.Select(t => $$"""{"token":{{Quote(t)}},"logprob":-0.5,"bytes":[{{string.Join(",", System.Text.Encoding.UTF8.GetBytes(t))}}],"top_logprobs":[]}"""))}}],"refusal":null}""";

    private static string[] Tokens(JsonNode? logprobs) =>
        logprobs?["content"] is JsonArray entries ? [.. entries.Select(e => e!["token"]!.GetValue<string>())] : [];

    private async Task<JsonObject> AskAsync(HttpClient client, string answer)
    {
        var (model, provider) = fixture.ByType["openai"];
        var marker = "l" + Guid.NewGuid().ToString("N");
        provider.Script(marker, answer);
        var response = await client.PostScannedAsync("/v1/chat/completions", new { model, logprobs = true, messages = new[] { new { role = "user", content = marker } } });
        Assert.NotEmpty(provider.BodiesWith(marker));
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<(string Text, List<JsonObject> Chunks)> AskStreamAsync(HttpClient client, string[] deltas)
    {
        var (model, provider) = fixture.ByType["openai"];
        var marker = "l" + Guid.NewGuid().ToString("N");
        provider.ScriptStream(marker, OpenAiStream(deltas));
        var response = await client.PostScannedAsync("/v1/chat/completions", new { model, stream = true, logprobs = true, messages = new[] { new { role = "user", content = marker } } });
        var text = await response.Content.ReadAsStringAsync();
        Assert.NotEmpty(provider.BodiesWith(marker));
        var chunks = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e != "data: [DONE]").Select(e => JsonNode.Parse(e["data: ".Length..])!.AsObject()).ToList();
        return (text, chunks);
    }
}
