using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Synapse.Tests.Fields;
using static Synapse.Tests.ClientApis.ClientApiKeys;

namespace Synapse.Tests.ClientApis;

/// <summary>
/// Anthropic's error shape has no <c>param</c>, so the field at fault leads the message — once:
/// whichever builder refused the body (the translation, the key's binding, the sampling checks, a
/// refusal that names two fields), the client reads its path one time, at the start.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class MessagesErrorMessageTests(WireFormatsFixture fixture)
{
    private const string User = """{"role":"user","content":"hi"}""";

    public static TheoryData<string, string> Refusals => new()
    {
        { "messages", """{"max_tokens":10}""" },
        { "max_tokens", $$"""{"messages":[{{User}}]}""" },
        { "messages[0].role", """{"max_tokens":10,"messages":[{"role":"system","content":"x"}]}""" },
        { "temperature", $$"""{"max_tokens":10,"temperature":"hot","messages":[{{User}}]}""" },
        { "stop_sequences", $$"""{"max_tokens":10,"stop_sequences":"END","messages":[{{User}}]}""" },
        { "metadata.user_id", $$"""{"max_tokens":10,"metadata":{"user_id":7},"messages":[{{User}}]}""" },
        { "tool_choice.type", $$"""{"max_tokens":10,"tool_choice":{"type":"sometimes"},"messages":[{{User}}]}""" },
        { "tools[0].type", $$"""{"max_tokens":10,"tools":[{"type":"web_search_20250305","name":"w"}],"messages":[{{User}}]}""" },
        { "output_config.format.type", $$$"""{"max_tokens":10,"output_config":{"format":{"type":"text"}},"messages":[{{{User}}}]}""" },
        { "output_format", $$$$"""{"max_tokens":10,"output_config":{"format":{"type":"json_schema","schema":{}}},"output_format":{"type":"json_schema","schema":{}},"messages":[{{{{User}}}}]}""" },
        { "mcp_servers", $$"""{"max_tokens":10,"mcp_servers":[],"messages":[{{User}}]}""" },
        { "messages[0].content[0].source.type", """{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]}""" },
        { "messages[0].content[0]", """{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"ftp://example.com/a.png"}}]}]}""" },
        { "max_tokens", $$"""{"max_tokens":0,"messages":[{{User}}]}""" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ARefusal_NamesTheFieldOnce_AtTheStartOfTheMessage(string path, string body)
    {
        var model = fixture.ByType["openai"].Model;
        using var client = AnthropicClient(fixture, await CreateAsync(fixture));
        var withModel = $$"""{"model":"{{model}}",""" + body[1..];

        foreach (var endpoint in new[] { "/v1/messages", "/v1/messages/count_tokens" })
        {
            if (endpoint.EndsWith("count_tokens", StringComparison.Ordinal) && path == "max_tokens")
            {
                continue; // count_tokens takes no max_tokens
            }

            var response = await client.PostAsync(endpoint, new StringContent(withModel, Encoding.UTF8, "application/json"));
            var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>();

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(path, message, StringComparison.Ordinal);
            Assert.True(Occurrences(message, path) == 1, $"{endpoint}: '{message}' names '{path}' {Occurrences(message, path)} times");
        }
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
