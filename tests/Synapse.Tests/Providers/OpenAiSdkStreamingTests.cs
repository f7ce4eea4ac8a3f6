using System.ClientModel;
using System.Text;
using Microsoft.AspNetCore.Http;
using OpenAI;
using OpenAI.Chat;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Providers;
using Synapse.Providers;
using Synapse.Providers.Anthropic;
using Synapse.Providers.Gemini;
using Xunit;
using static Synapse.Tests.Providers.ProviderTestHelpers;

namespace Synapse.Tests.Providers;

/// <summary>
/// End to end through the official OpenAI SDK: a tiny OpenAI-shaped endpoint serves what an
/// adapter translated from a mocked provider, and <c>ChatClient.CompleteChatStreaming</c> reads it.
/// </summary>
public sealed class OpenAiSdkStreamingTests
{
    [Fact]
    public async Task AnthropicStream_IsReadableByTheOpenAiSdk()
    {
        await using var anthropic = await MockUpstream.StartAsync();
        anthropic.Respond = MockUpstream.EventStream(AnthropicStreams.ToolUse);
        var adapter = new AnthropicClient(new ProviderOptions { Type = ProviderTypes.Anthropic, BaseUrl = anthropic.BaseUrl, ApiKey = "k" }, new HttpClient());

        var (text, toolName, toolArguments, finish, usage) = await ConsumeWithSdkAsync(adapter);

        Assert.Equal("Okay, checking \"Paris\".", text);
        Assert.Equal("get_weather", toolName);
        Assert.Equal("{\"city\": \"Paris\"}", toolArguments);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(561, usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GeminiStream_IsReadableByTheOpenAiSdk()
    {
        await using var gemini = await MockUpstream.StartAsync();
        gemini.Respond = MockUpstream.EventStream(GeminiStreams.TextThenFunctionCall);
        var adapter = new GeminiClient(new ProviderOptions { Type = ProviderTypes.Gemini, BaseUrl = gemini.BaseUrl, ApiKey = "k" }, new HttpClient());

        var (text, toolName, toolArguments, finish, usage) = await ConsumeWithSdkAsync(adapter);

        Assert.Equal("It is time to check.", text);
        Assert.Equal("get_weather", toolName);
        Assert.Equal("{\"city\":\"Paris\"}", toolArguments);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(21, usage!.TotalTokenCount);
    }

    private static async Task<(string Text, string? ToolName, string ToolArguments, ChatFinishReason? Finish, ChatTokenUsage? Usage)> ConsumeWithSdkAsync(IProviderClient adapter)
    {
        await using var gateway = await MockUpstream.StartAsync();
        gateway.Respond = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            var call = Call(Encoding.UTF8.GetString(gateway.Last.Body), stream: true);
            await foreach (var evt in adapter.StreamAsync(call, context.RequestAborted))
            {
                Assert.Null(evt.Failure);
                await context.Response.WriteAsync("data: ");
                await context.Response.Body.WriteAsync(evt.Data);
                await context.Response.WriteAsync("\n\n");
            }

            await context.Response.WriteAsync("data: [DONE]\n\n");
        };
        var client = new ChatClient("test-model", new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl, "/v1") });

        var text = new StringBuilder();
        var arguments = new StringBuilder();
        string? toolName = null;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(
            [new UserChatMessage("Weather?")],
            new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "Current weather") } }))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            foreach (var tool in update.ToolCallUpdates)
            {
                toolName ??= tool.FunctionName;
                arguments.Append(tool.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        return (text.ToString(), toolName, arguments.ToString(), finish, usage);
    }
}
