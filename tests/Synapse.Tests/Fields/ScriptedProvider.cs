using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Synapse.Tests.Providers;

namespace Synapse.Tests.Fields;

/// <summary>
/// A provider's API on real HTTP (a <see cref="MockUpstream"/>) whose answer a test scripts per
/// marker: the first registered marker found in the request body picks the answer, else the
/// provider answers a plain "ok" in its own wire format.
/// </summary>
public sealed class ScriptedProvider(MockUpstream upstream, WireFormat format) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _scripts = new(StringComparer.Ordinal);

    public WireFormat Format { get; } = format;

    public Uri BaseUrl => upstream.BaseUrl;

    public static async Task<ScriptedProvider> StartAsync(WireFormat format)
    {
        var upstream = await MockUpstream.StartAsync();
        var provider = new ScriptedProvider(upstream, format);
        upstream.Respond = provider.RespondAsync;
        return provider;
    }

    /// <summary>The bodies this provider received that contain <paramref name="marker"/>.</summary>
    public List<string> BodiesWith(string marker)
    {
        lock (upstream.Requests)
        {
            return [.. upstream.Requests.Select(r => r.BodyText).Where(b => b.Contains(marker, StringComparison.Ordinal))];
        }
    }

    public void Script(string marker, Func<HttpContext, Task> answer) => _scripts[marker] = answer;

    public void Script(string marker, string json, HttpStatusCode status = HttpStatusCode.OK) => Script(marker, MockUpstream.Json(json, status));

    public void ScriptStream(string marker, params string[] events) => Script(marker, MockUpstream.EventStream(events));

    private Task RespondAsync(HttpContext context)
    {
        RecordedRequest last;
        lock (upstream.Requests)
        {
            last = upstream.Requests[^1];
        }

        var body = last.BodyText;
        foreach (var (marker, script) in _scripts)
        {
            if (body.Contains(marker, StringComparison.Ordinal))
            {
                return script(context);
            }
        }

        var stream = body.Contains("\"stream\":true", StringComparison.Ordinal) || last.PathAndQuery.Contains("stream", StringComparison.Ordinal);
        return stream ? MockUpstream.EventStream(WireAnswers.Stream(Format, "ok"))(context) : MockUpstream.Json(WireAnswers.Whole(Format, "ok"))(context);
    }

    public ValueTask DisposeAsync() => upstream.DisposeAsync();
}

public enum WireFormat
{
    OpenAi,
    Anthropic,
    Gemini,
}
