using System.ClientModel.Primitives;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Chat;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;
using Xunit;

namespace Synapse.Tests.Providers;

internal static class ProviderTestHelpers
{
    public static ProviderCall Call(string body, bool stream = false, RequestOperation operation = RequestOperation.ChatCompletions, string model = "model-from-call") =>
        new("req-1", "key-1", "team-1", "test-provider", model, operation, stream, Encoding.UTF8.GetBytes(body));

    /// <summary>Compares JSON by structure (property order and spacing do not matter).</summary>
    public static void AssertJsonEqual(string expected, string actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        Assert.True(
            JsonNode.DeepEquals(expectedNode, actualNode),
            $"Expected:{Environment.NewLine}{expectedNode?.ToJsonString()}{Environment.NewLine}Actual:{Environment.NewLine}{actualNode?.ToJsonString()}");
    }

    public static void AssertJsonEqual(string expected, byte[] actual) => AssertJsonEqual(expected, Encoding.UTF8.GetString(actual));

    /// <summary>The official OpenAI SDK must accept the translated answer.</summary>
    public static ChatCompletion ParseWithOpenAiSdk(byte[] body) =>
        ModelReaderWriter.Read<ChatCompletion>(BinaryData.FromBytes(body), ModelReaderWriterOptions.Json)!;

    public static StreamingChatCompletionUpdate ParseChunkWithOpenAiSdk(byte[] chunk) =>
        ModelReaderWriter.Read<StreamingChatCompletionUpdate>(BinaryData.FromBytes(chunk), ModelReaderWriterOptions.Json)!;

    public static async Task<List<StreamEvent>> CollectAsync(IAsyncEnumerable<StreamEvent> events)
    {
        var list = new List<StreamEvent>();
        await foreach (var evt in events)
        {
            list.Add(evt);
        }

        return list;
    }

    /// <summary>A loopback address where nothing listens.</summary>
    public static Uri ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    public static JsonElement Json(byte[] body) => JsonDocument.Parse(body).RootElement;
}
