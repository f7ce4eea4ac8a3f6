using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Binding;
using static Synapse.Tests.Providers.ProviderTestHelpers;

namespace Synapse.Tests.Fields;

/// <summary>
/// Issue 16 end to end: the request bodies that the <c>openai</c> Node SDK 6, LangChain JS
/// (<c>@langchain/openai</c> 1.5), the Vercel AI SDK 6 (<c>@ai-sdk/openai</c> 3) and LlamaIndex TS
/// send — captured from the libraries themselves by <c>Clients/capture</c> — replayed through the
/// gateway: each is admitted whole (nothing dropped), reaches the provider under the binding, and
/// gets an answer the official OpenAI SDK reads.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class ClientLibraryRequestsTests(WireFormatsFixture fixture)
{
    private static readonly JsonObject Captured = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Clients", "Fixtures", "client-requests.json")))!.AsObject();

    public static TheoryData<string, int> Requests()
    {
        var data = new TheoryData<string, int>();
        foreach (var (scenario, requests) in Captured)
        {
            for (var i = 0; i < requests!.AsArray().Count; i++)
            {
                data.Add(scenario, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task LibraryRequest_IsAdmittedWhole_AndAnsweredInOpenAisShape(string scenario, int index)
    {
        using var client = await fixture.ClientAsync();
        var (model, provider) = fixture.ByType["openai"];
        var body = Captured[scenario]![index]!.DeepClone().AsObject();
        var marker = "c" + Guid.NewGuid().ToString("N");
        var embeddings = body.ContainsKey("input");
        body["model"] = model;
        if (embeddings)
        {
            body["input"]![0] = body["input"]![0]!.GetValue<string>() + " " + marker;
            provider.Script(marker, """{"object":"list","model":"m-1","data":[{"object":"embedding","index":0,"embedding":"zczMPQ=="},{"object":"embedding","index":1,"embedding":"zczMPQ=="}],"usage":{"prompt_tokens":4,"total_tokens":4}}""");
        }
        else
        {
            body["messages"]!.AsArray().Add(new JsonObject { ["role"] = "user", ["content"] = marker });
        }

        var response = await client.PostScannedAsync(embeddings ? "/v1/embeddings" : "/v1/chat/completions", body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{scenario}[{index}]: {(int)response.StatusCode} {text}");
        Assert.False(response.Headers.Contains(DroppedFields.HeaderName), $"{scenario}[{index}] dropped {string.Join(",", response.Headers.TryGetValues(DroppedFields.HeaderName, out var v) ? v : [])}");
        var sent = JsonNode.Parse(provider.BodiesWith(marker).Last())!.AsObject();
        if (embeddings)
        {
            Assert.Equal(body["encoding_format"]?.GetValue<string>(), sent["encoding_format"]?.GetValue<string>());

            // The provider answered base64; a library that asked for floats reads numbers.
            var vector = JsonNode.Parse(text)!["data"]![0]!["embedding"]!;
            Assert.Equal(body["encoding_format"]?.GetValue<string>() == "base64" ? JsonValueKind.String : JsonValueKind.Array, vector.GetValueKind());
            return;
        }

        var messages = sent["messages"]!.AsArray();
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Equal("You answer weather questions.", messages[0]!["content"]!.GetValue<string>());
        Assert.Single(messages, m => m!["role"]!.GetValue<string>() == "system");
        foreach (var name in body.Select(p => p.Key).Where(k => k is not ("messages" or "stream_options" or "stream")))
        {
            Assert.True(JsonNode.DeepEquals(body[name], sent[name]), $"{scenario}[{index}]: '{name}' was not forwarded as sent");
        }

        var clientInstructions = body["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() is "system" or "developer").Select(m => m!["content"]!.GetValue<string>()).ToList();
        foreach (var instruction in clientInstructions)
        {
            Assert.Contains(messages, m => m!["role"]!.GetValue<string>() == "user" && m["content"]!.GetValue<string>().EndsWith(instruction, StringComparison.Ordinal));
        }

        if (body["stream"]?.GetValue<bool>() == true)
        {
            var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("data: [DONE]", events[^1]);
            Assert.All(events[..^1], e => ParseChunkWithOpenAiSdk(Encoding.UTF8.GetBytes(e["data: ".Length..])));
        }
        else
        {
            Assert.NotNull(ParseWithOpenAiSdk(Encoding.UTF8.GetBytes(text)));
        }
    }
}
