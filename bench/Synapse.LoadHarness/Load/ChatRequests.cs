using System.Text.Json.Nodes;

namespace Synapse.LoadHarness.Load;

/// <summary>The chat-completions body every path receives, byte for byte the same.</summary>
internal static class ChatRequests
{
    public static byte[] Create(string model, int promptChars, bool stream)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "You are a helpful assistant. Answer briefly." },
                new JsonObject { ["role"] = "user", ["content"] = Text.Make(promptChars) }),
            ["temperature"] = 0.2,
            ["max_tokens"] = 512,
        };
        if (stream)
        {
            body["stream"] = true;
        }

        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }
}
