using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>The official OpenAI .NET SDK, pointed at the gateway, just works — errors included.</summary>
[Trait("Category", "Slow")]
[Collection(GatewayCollection.Name)]
public sealed class OpenAiSdkTests(GatewayFixture fixture)
{
    private OpenAIClientOptions Options => new() { Endpoint = fixture.Gateway.V1, RetryPolicy = new ClientRetryPolicy(0) };

    [Fact]
    public async Task Sdk_CompleteChat_GetsTheAnswer()
    {
        var (_, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        var client = new ChatClient(GatewayFixture.OnPremModel, new ApiKeyCredential(secret), Options);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hi there")]);

        Assert.Equal("echo: hi there", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task Sdk_CompleteChatStreaming_ReassemblesTheAnswerAndUsage()
    {
        var (_, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel]);
        var client = new ChatClient(GatewayFixture.OnPremModel, new ApiKeyCredential(secret), Options);

        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("stream me please")], new ChatCompletionOptions()))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Equal("echo: stream me please", text.ToString());
        Assert.NotNull(usage);
    }

    [Fact]
    public async Task Sdk_Embeddings_AndModels_Work()
    {
        var (_, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.EmbeddingModel, GatewayFixture.OnPremModel]);

        OpenAIEmbedding embedding = await new EmbeddingClient(GatewayFixture.EmbeddingModel, new ApiKeyCredential(secret), Options).GenerateEmbeddingAsync("vectorise me");
        var models = await new OpenAIModelClient(new ApiKeyCredential(secret), Options).GetModelsAsync();

        Assert.Equal(3, embedding.ToFloats().Length);
        Assert.Equal([GatewayFixture.OnPremModel, GatewayFixture.EmbeddingModel], models.Value.Select(m => m.Id).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Sdk_MapsEveryGatewayErrorToItsTypedException()
    {
        var (keyId, secret) = await fixture.Gateway.CreateKeyAsync([GatewayFixture.OnPremModel, GatewayFixture.FailingModel]);

        var wrongKey = await Assert.ThrowsAsync<ClientResultException>(() =>
            new ChatClient(GatewayFixture.OnPremModel, new ApiKeyCredential("syn-not-a-real-key"), Options).CompleteChatAsync([new UserChatMessage("x")]));
        var notAllowed = await Assert.ThrowsAsync<ClientResultException>(() =>
            new ChatClient(GatewayFixture.CloudModel, new ApiKeyCredential(secret), Options).CompleteChatAsync([new UserChatMessage("x")]));
        var upstream = await Assert.ThrowsAsync<ClientResultException>(() =>
            new ChatClient(GatewayFixture.FailingModel, new ApiKeyCredential(secret), Options).CompleteChatAsync([new UserChatMessage("x")]));

        Assert.Equal(401, wrongKey.Status);
        Assert.Equal(403, notAllowed.Status);
        Assert.Contains("model_not_allowed", notAllowed.Message, StringComparison.Ordinal);
        Assert.Equal(502, upstream.Status);
        Assert.Contains("upstream_error", upstream.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(MockOpenAiUpstream.SecretInErrors, upstream.Message, StringComparison.Ordinal);
        Assert.NotNull(keyId);
    }
}
