using System.Net;
using System.Net.Http.Json;
using System.Text;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Providers;

/// <summary>
/// A client learns which provider serves a model from nothing but <c>/v1/models</c>: every
/// refusal of something a model cannot take ("this model does not support …") is worded without
/// the provider's type or configured name, on every client API and streamed too (before: "Anthropic
/// offers no embeddings API", "Gemini accepts only …", "Anthropic returns one choice per request").
/// </summary>
[Trait("Category", "Slow")]
public sealed class ProviderRefusalWordingTests
{
    private const string Anthropic = "model-a";
    private const string Gemini = "model-g";
    private const string Azure = "model-z";

    /// <summary>Provider types and the names they are known by, and this gateway's provider names.</summary>
    private static readonly string[] Revealing =
        ["anthropic", "claude", "gemini", "google", "azure", "openai", "open ai", "ollama", "vllm", "backend-"];

    [Fact]
    public async Task EveryRefusalOfWhatAModelCannotDo_NamesNoProviderTypeOrName()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = new Dictionary<string, string?>();
        foreach (var (name, type, model) in new[] { ("backend-a", "anthropic", Anthropic), ("backend-g", "gemini", Gemini), ("backend-z", "azure-openai", Azure) })
        {
            foreach (var (key, value) in GatewayHost.Provider(name, upstream.BaseUrl, "on-prem", model))
            {
                settings[key] = value;
            }

            settings[$"Synapse:Providers:{name}:Type"] = type;
        }

        await using var gateway = await GatewayHost.StartAsync(settings);
        var (_, secret) = await gateway.CreateKeyAsync([Anthropic, Gemini, Azure]);
        using var client = gateway.ClientFor(secret);

        var refusals = new (string Path, string Body)[]
        {
            ("/v1/embeddings", $$"""{"model":"{{Anthropic}}","input":"hello"}"""),
            ("/v1/chat/completions", Chat(Anthropic, ""","n":2""")),
            ("/v1/chat/completions", Chat(Anthropic, ""","n":2,"stream":true""")),
            ("/v1/chat/completions", AudioPart(Anthropic)),
            ("/v1/chat/completions", Chat(Anthropic, ""","tools":[{"type":"web_search"}]""")),
            ("/v1/chat/completions", AudioPart(Gemini)),
            ("/v1/chat/completions", Chat(Gemini, ""","tools":[{"type":"web_search"}]""")),
            ("/v1/chat/completions", Chat(Gemini, ""","tools":[{"type":"web_search"}],"stream":true""")),
        };

        foreach (var (path, body) in refusals)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            var response = await client.PostAsync(path, content);
            var text = await response.Content.ReadAsStringAsync();

            // The path ran: refused as the client's mistake, with a message.
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {body}: {(int)response.StatusCode} {text}");
            Assert.True(text.Contains("This model does not support ", StringComparison.Ordinal), $"{path} {body}: {text}");
            foreach (var word in Revealing)
            {
                Assert.False(text.Contains(word, StringComparison.OrdinalIgnoreCase), $"{path} {body}: '{word}' in {text}");
            }
        }

        Assert.Empty(upstream.Requests);
    }

    private static string Chat(string model, string extra) =>
        $$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hello"}]{{extra}}}""";

    private static string AudioPart(string model) =>
        $$$"""{"model":"{{{model}}}","max_tokens":16,"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}""";
}
