#pragma warning disable OPENAI001 // the Responses client is marked for evaluation in the OpenAI .NET SDK
extern alias AnthropicSdk;

using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using AnthropicSdk::Anthropic;
using AnthropicSdk::Anthropic.Models.Messages;
using OpenAI.Responses;
using Synapse.Tests.Fields;
using static Synapse.Tests.ClientApis.ClientApiKeys;

namespace Synapse.Tests.ClientApis;

/// <summary>
/// Issue 14: the official Anthropic .NET SDK and the OpenAI .NET SDK's Responses client, pointed at
/// the gateway, work unchanged — whole answers, streams, token counting and typed errors.
/// </summary>
[Trait("Category", "Slow")]
[Collection(WireFormatsCollection.Name)]
public sealed class OfficialSdkTests(WireFormatsFixture fixture)
{
    [Fact]
    public async Task AnthropicSdk_CreatesStreamsAndCountsThroughTheGateway()
    {
        var (model, provider) = fixture.ByType["anthropic"];
        var client = new AnthropicClient { ApiKey = await CreateAsync(fixture), BaseUrl = fixture.Gateway.BaseAddress.ToString().TrimEnd('/'), MaxRetries = 0 };
        var marker = "m" + Guid.NewGuid().ToString("N");
        provider.ScriptStream(marker + "-stream", WireAnswers.Stream(provider.Format, "Hel", "lo there"));
        MessageCreateParams Ask(string text) => new() { MaxTokens = 100, Model = model, System = "Be brief.", Messages = [new UserMessageParam { Content = text }] };

        var message = await client.Messages.Create(Ask(marker));
        var streamed = new StringBuilder();
        await foreach (var update in client.Messages.CreateStreaming(Ask(marker + "-stream")))
        {
            if (update.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var text))
            {
                streamed.Append(text.Text);
            }
        }

        var counted = await client.Messages.CountTokens(new MessageCountTokensParams { Model = model, Messages = [new UserMessageParam { Content = marker }] });

        Assert.True(message.Content[0].TryPickText(out var block));
        Assert.Equal("ok", block!.Text);
        Assert.Equal("end_turn", message.StopReason!.Raw());
        Assert.Equal(5, message.Usage.OutputTokens);
        Assert.Equal("Hello there", streamed.ToString());
        Assert.True(counted.InputTokens > 0);
        Assert.Single(provider.BodiesWith(marker + "-stream"));
    }

    [Fact]
    public async Task AnthropicSdk_ThrowsItsTypedErrors_ForARefusedKeyAndADlpBlock()
    {
        var model = fixture.ByType["openai"].Model;
        var baseUrl = fixture.Gateway.BaseAddress.ToString().TrimEnd('/');
        var wrong = new AnthropicClient { ApiKey = "sk-syn-" + new string('b', 40), BaseUrl = baseUrl, MaxRetries = 0 };
        var client = new AnthropicClient { ApiKey = await CreateAsync(fixture), BaseUrl = baseUrl, MaxRetries = 0 };
        MessageCreateParams Ask(string text) => new() { MaxTokens = 100, Model = model, Messages = [new UserMessageParam { Content = text }] };

        var unauthorized = await Assert.ThrowsAnyAsync<Exception>(() => wrong.Messages.Create(Ask("hi")));
        var blocked = await Assert.ThrowsAnyAsync<Exception>(() => client.Messages.Create(Ask("card 4111 1111 1111 1111")));

        Assert.Contains("Unauthorized", unauthorized.GetType().Name + unauthorized.Message, StringComparison.Ordinal);
        Assert.Contains("authentication_error", unauthorized.Message, StringComparison.Ordinal);
        Assert.Contains("BadRequest", blocked.GetType().Name + blocked.Message, StringComparison.Ordinal);
        Assert.Contains("credit_card", blocked.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("4111", blocked.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiResponsesClient_CreatesAndStreamsThroughTheGateway()
    {
        var (model, provider) = fixture.ByType["vllm"];
        var client = new ResponsesClient(new ApiKeyCredential(await CreateAsync(fixture)), new ResponsesClientOptions { Endpoint = fixture.Gateway.V1, RetryPolicy = new ClientRetryPolicy(0) });
        var marker = "m" + Guid.NewGuid().ToString("N");
        provider.ScriptStream(marker + "-stream", WireAnswers.Stream(provider.Format, "Hel", "lo there"));

        ResponseResult response = await client.CreateResponseAsync(new CreateResponseOptions { Model = model, Instructions = "Be brief.", InputItems = { ResponseItem.CreateUserMessageItem(marker) }, StoredOutputEnabled = false });
        var streamed = new StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions { Model = model, InputItems = { ResponseItem.CreateUserMessageItem(marker + "-stream") }, StreamingEnabled = true }))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                streamed.Append(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        Assert.Equal("ok", response.GetOutputText());
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal(14, response.Usage.TotalTokenCount);
        Assert.Equal("Hello there", streamed.ToString());
        Assert.Equal("Hello there", completed!.GetOutputText());
    }

    [Fact]
    public async Task OpenAiResponsesClient_ReadsAProviderRefusal_AsRefusalUpdatesAndARefusalPart_StreamedOrNot()
    {
        var (model, provider) = fixture.ByType["openai"];
        var client = new ResponsesClient(new ApiKeyCredential(await CreateAsync(fixture)), new ResponsesClientOptions { Endpoint = fixture.Gateway.V1, RetryPolicy = new ClientRetryPolicy(0) });
        var marker = "m" + Guid.NewGuid().ToString("N");
        const string Refusal = "I can't help with that request.";
        provider.Script(marker + "-whole", WireAnswers.OpenAi($$"""{"role":"assistant","content":null,"refusal":{{WireAnswers.Quote(Refusal)}}}"""));
        provider.ScriptStream(marker + "-stream", WireAnswers.OpenAiStream(["""{"refusal":"I can't help "}""", """{"refusal":"with that request."}"""]));

        ResponseResult whole = await client.CreateResponseAsync(new CreateResponseOptions { Model = model, InputItems = { ResponseItem.CreateUserMessageItem(marker + "-whole") } });
        var deltas = new StringBuilder();
        string? done = null;
        StreamingResponseContentPartAddedUpdate? added = null;
        ResponseResult? completed = null;
        await foreach (var update in await client.CreateResponseStreamingAsync(new CreateResponseOptions { Model = model, InputItems = { ResponseItem.CreateUserMessageItem(marker + "-stream") }, StreamingEnabled = true }))
        {
            switch (update)
            {
                case StreamingResponseContentPartAddedUpdate part:
                    added = part;
                    break;
                case StreamingResponseRefusalDeltaUpdate delta:
                    deltas.Append(delta.Delta);
                    break;
                case StreamingResponseRefusalDoneUpdate refusalDone:
                    done = refusalDone.Refusal;
                    break;
                case StreamingResponseOutputTextDeltaUpdate text:
                    Assert.Fail($"a refusal arrived as output text: {text.Delta}");
                    break;
                case StreamingResponseCompletedUpdate end:
                    completed = end.Response;
                    break;
            }
        }

        foreach (var response in new[] { whole, completed! })
        {
            var part = Assert.Single(Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems)).Content);
            Assert.Equal((ResponseContentPartKind.Refusal, Refusal), (part.Kind, part.Refusal));
            Assert.Equal(ResponseStatus.Completed, response.Status);
        }

        Assert.Equal(ResponseContentPartKind.Refusal, added!.Part.Kind);
        Assert.Equal(Refusal, deltas.ToString());
        Assert.Equal(Refusal, done);
    }

    [Fact]
    public async Task OpenAiResponsesClient_GetsAClientResultException_ForPreviousResponseId()
    {
        var model = fixture.ByType["openai"].Model;
        var client = new ResponsesClient(new ApiKeyCredential(await CreateAsync(fixture)), new ResponsesClientOptions { Endpoint = fixture.Gateway.V1, RetryPolicy = new ClientRetryPolicy(0) });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateResponseAsync(new CreateResponseOptions { Model = model, InputItems = { ResponseItem.CreateUserMessageItem("hi") }, PreviousResponseId = "resp_abc" }));

        Assert.Equal(400, error.Status);
        Assert.Contains("previous_response_id", error.Message, StringComparison.Ordinal);
    }
}
