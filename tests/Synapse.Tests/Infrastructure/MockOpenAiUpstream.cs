using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// An OpenAI-compatible server on a loopback port that speaks the real wire format (JSON and
/// server-sent events) and records what it received. Its answer echoes the last user message,
/// so tests can check what reached the provider and what came back.
/// </summary>
public sealed class MockOpenAiUpstream : IAsyncDisposable
{
    public const string SecretInErrors = "sk-upstream-secret-should-never-leak";

    private readonly WebApplication _app;

    // How many of the next calls fail with _failNextStatus, whatever else is set (below zero: none).
    private int _failuresLeft;
    private int _failNextStatus;

    private MockOpenAiUpstream(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Models whose calls take this long before answering.</summary>
    public ConcurrentDictionary<string, TimeSpan> DelayByModel { get; } = new();

    /// <summary>Models whose calls fail with this status and a body carrying a secret.</summary>
    public ConcurrentDictionary<string, int> FailureByModel { get; } = new();

    /// <summary>What <c>GET /api/tags</c> (Ollama's native API) lists.</summary>
    public List<string> OllamaTags { get; } = [];

    /// <summary>Models that answer this fixed text instead of echoing the prompt.</summary>
    public ConcurrentDictionary<string, string> ReplyByModel { get; } = new();

    /// <summary>When set, every call fails with this status (a provider that is down).</summary>
    public int? FailAllWithStatus { get; set; }

    /// <summary>A header sent with every failure answer (<c>Retry-After</c>, <c>retry-after-ms</c>): a provider that says when to come back.</summary>
    public (string Name, string Value)? FailureHeader { get; set; }

    /// <summary>The next <paramref name="count"/> calls fail with <paramref name="status"/> (a provider's short rate limit).</summary>
    public void FailNext(int count, int status)
    {
        _failNextStatus = status;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>When set, every call waits this long first (a provider that hangs).</summary>
    public TimeSpan? DelayAll { get; set; }

    /// <summary>Models whose streams break (connection aborted) after the first content chunk.</summary>
    public ConcurrentDictionary<string, bool> BreakStreamByModel { get; } = new();

    /// <summary>Models that never report usage, as some OpenAI-compatible servers do not (no <c>usage</c> object, no usage chunk).</summary>
    public ConcurrentDictionary<string, bool> NoUsageByModel { get; } = new();

    /// <summary>A pause before each streamed word of these models' answers: a slow model.</summary>
    public ConcurrentDictionary<string, TimeSpan> ChunkDelayByModel { get; } = new();

    /// <summary>
    /// Streams as vLLM and Groq do when usage is asked for: <c>"usage":null</c> on every chunk, and
    /// the counts on the chunk that finishes the choice, with no usage-only chunk after it.
    /// </summary>
    public bool UsageOnTheFinishingChunk { get; set; }

    public static async Task<MockOpenAiUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var mock = new MockOpenAiUpstream(app);
        app.MapPost("/v1/chat/completions", mock.ChatAsync);
        app.MapPost("/v1/embeddings", mock.EmbeddingsAsync);

        // Ollama's native model list, for providers configured without Models.
        app.MapGet("/api/tags", () => Results.Json(new { models = mock.OllamaTags.Select(name => new { name, model = name, size = 4_661_224_676L }) }));
        await app.StartAsync();
        mock.BaseUrl = new Uri(app.Urls.First() + "/v1");
        return mock;
    }

    public IEnumerable<RecordedRequest> RequestsFor(string marker) => Requests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal));

    private async Task ChatAsync(HttpContext context)
    {
        var (body, json) = await RecordAsync(context);
        var model = json["model"]?.GetValue<string>() ?? "unknown";
        if (await FailOrDelayAsync(context, model))
        {
            return;
        }

        var lastUser = json["messages"]!.AsArray().LastOrDefault(m => m?["role"]?.GetValue<string>() == "user");
        var content = ReplyByModel.TryGetValue(model, out var reply) ? reply : "echo: " + (lastUser?["content"] is JsonValue v ? v.GetValue<string>() : "(parts)");
        var promptTokens = body.Length / 4;
        var completionTokens = content.Split(' ').Length;
        var reportsUsage = !NoUsageByModel.ContainsKey(model);
        if (json["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(context, model, content, reportsUsage && json["stream_options"]?["include_usage"]?.GetValue<bool>() == true, promptTokens, completionTokens);
            return;
        }

        var answer = new JsonObject
        {
            ["id"] = "chatcmpl-mock" + Guid.NewGuid().ToString("N")[..8],
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["system_fingerprint"] = null,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = null },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
        };
        if (reportsUsage)
        {
            answer["usage"] = Usage(promptTokens, completionTokens);
        }

        await context.Response.WriteAsJsonAsync(answer);
    }

    private async Task StreamAsync(HttpContext context, string model, string content, bool includeUsage, int promptTokens, int completionTokens)
    {
        context.Response.ContentType = "text/event-stream";
        var id = "chatcmpl-mock" + Guid.NewGuid().ToString("N")[..8];
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var usageOnFinish = includeUsage && UsageOnTheFinishingChunk;
        JsonObject Chunk(JsonObject delta, string? finish)
        {
            var chunk = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion.chunk",
                ["created"] = created,
                ["model"] = model,
                ["system_fingerprint"] = null,
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish }),
            };
            if (usageOnFinish)
            {
                chunk["usage"] = finish is null ? null : Usage(promptTokens, completionTokens);
            }

            return chunk;
        }

        await WriteEventAsync(context, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null).ToJsonString());
        var words = content.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (ChunkDelayByModel.TryGetValue(model, out var pause))
            {
                await Task.Delay(pause, context.RequestAborted);
            }

            await WriteEventAsync(context, Chunk(new JsonObject { ["content"] = (i == 0 ? "" : " ") + words[i] }, null).ToJsonString());
            if (i == 0 && BreakStreamByModel.ContainsKey(model))
            {
                // A reset discards what the receiver has not read yet: give the gateway time to
                // read the first chunk, so the break always comes after it.
                await Task.Delay(TimeSpan.FromMilliseconds(200));
                context.Abort();
                return;
            }
        }

        await WriteEventAsync(context, Chunk([], "stop").ToJsonString());
        if (includeUsage && !usageOnFinish)
        {
            var usageChunk = Chunk([], null);
            usageChunk["choices"] = new JsonArray();
            usageChunk["usage"] = Usage(promptTokens, completionTokens);
            await WriteEventAsync(context, usageChunk.ToJsonString());
        }

        await WriteEventAsync(context, "[DONE]");
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        var (_, json) = await RecordAsync(context);
        var model = json["model"]?.GetValue<string>() ?? "unknown";
        if (await FailOrDelayAsync(context, model))
        {
            return;
        }

        var inputs = json["input"] is JsonArray array ? array.Count : 1;
        var data = new JsonArray();
        for (var i = 0; i < inputs; i++)
        {
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = new JsonArray(0.1f * (i + 1), 0.2f, 0.3f) });
        }

        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = 3 * inputs, ["total_tokens"] = 3 * inputs },
        });
    }

    private async Task<bool> FailOrDelayAsync(HttpContext context, string model)
    {
        if (DelayByModel.TryGetValue(model, out var delay) || DelayAll is { } all && (delay = all) > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        var status = 0;
        if (Interlocked.Decrement(ref _failuresLeft) >= 0 ? (status = _failNextStatus) > 0
            : FailureByModel.TryGetValue(model, out status) || FailAllWithStatus is { } failAll && (status = failAll) > 0)
        {
            context.Response.StatusCode = status;
            if (FailureHeader is var (name, value))
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = $"Incorrect API key provided: {SecretInErrors}", ["type"] = "invalid_request_error", ["code"] = "invalid_api_key", ["param"] = null },
            });
            return true;
        }

        return false;
    }

    private async Task<(string Body, JsonObject Json)> RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new RecordedRequest(context.Request.Path, headers, body, DateTimeOffset.UtcNow));
        return (body, JsonNode.Parse(body)!.AsObject());
    }

    private static JsonObject Usage(int prompt, int completion) =>
        new() { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion };

    private static async Task WriteEventAsync(HttpContext context, string data)
    {
        await context.Response.WriteAsync("data: " + data + "\n\n");
        await context.Response.Body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset ReceivedAt)
    {
        public JsonObject Json => JsonNode.Parse(Body)!.AsObject();
    }
}
