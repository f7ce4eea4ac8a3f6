using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// At the log levels the gateway ships with (<c>Gateway.Api/appsettings.json</c>), a request
/// writes at most one line, whatever its path — answered, streamed, refused by DLP, refused for
/// its key — so an operator's log volume grows with traffic by a line a request at most.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RequestLogVolumeTests
{
    private const int RequestsPerPath = 5;

    [Fact]
    public async Task AtTheShippedLevels_ARequestWritesAtMostOneLine()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3");
        foreach (var (key, level) in ShippedLogLevels())
        {
            settings[key] = level;
        }

        var lines = new LineCapture();
        await using var gateway = await GatewayHost.StartAsync(settings, logs: lines);
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using var client = gateway.ClientFor(secret);
        using var wrong = gateway.ClientFor(secret + "x");

        // The key's first request activates its grain; what that writes is start-up, not traffic.
        await AnsweredAsync(gateway, await client.PostAsJsonAsync("/v1/chat/completions", Chat("warm-up")));
        var before = lines.Count;

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < RequestsPerPath; i++)
        {
            responses.Add(await client.PostAsJsonAsync("/v1/chat/completions", Chat("plain " + i)));
            responses.Add(await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", stream = true, messages = new[] { new { role = "user", content = "streamed " + i } } }));
            responses.Add(await client.PostAsJsonAsync("/v1/chat/completions", Chat("card 4111 1111 1111 1111 " + i)));
            responses.Add(await wrong.PostAsJsonAsync("/v1/chat/completions", Chat("wrong key " + i)));
        }

        // Every path ran and ended (its last audit event is written after its answer).
        Assert.Equal(RequestsPerPath * 2, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(RequestsPerPath, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Equal(RequestsPerPath, responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Unauthorized))
        {
            await AnsweredAsync(gateway, response);
        }

        var written = lines.Since(before);
        Assert.True(written.Count <= responses.Count, $"{written.Count} lines for {responses.Count} requests:\n{string.Join('\n', written)}");
    }

    [Fact]
    public async Task AtTheShippedLevels_ARequestWhoseProviderFailsAfterItsRetries_WritesOneLine_NotOnePerAttempt()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        upstream.FailureByModel["broken"] = 500;
        var settings = GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3", "broken");
        foreach (var (key, level) in ShippedLogLevels())
        {
            settings[key] = level;
        }

        settings["Synapse:Resilience:MaxRetries"] = "2";

        // A circuit that opens logs that once (a change of state, not a request): kept closed here.
        settings["Synapse:Resilience:CircuitMinimumThroughput"] = "100";
        var lines = new LineCapture();
        await using var gateway = await GatewayHost.StartAsync(settings, logs: lines);
        var (_, secret) = await gateway.CreateKeyAsync(["llama3", "broken"]);
        using var client = gateway.ClientFor(secret);
        await AnsweredAsync(gateway, await client.PostAsJsonAsync("/v1/chat/completions", Chat("warm-up")));
        var before = lines.Count;

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < RequestsPerPath; i++)
        {
            responses.Add(await client.PostAsJsonAsync("/v1/chat/completions", new { model = "broken", messages = new[] { new { role = "user", content = "failing " + i } } }));
        }

        // Each request was tried three times and ended (audited) as a 502.
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.BadGateway, r.StatusCode));
        Assert.Equal(RequestsPerPath * 3, upstream.Requests.Count(r => r.Body.Contains("failing ", StringComparison.Ordinal)));
        foreach (var response in responses)
        {
            await AnsweredAsync(gateway, response);
        }

        var written = lines.Since(before);
        Assert.Contains(written, l => l.Contains("failed with upstream_error", StringComparison.Ordinal));
        Assert.True(written.Count <= responses.Count, $"{written.Count} lines for {responses.Count} requests:\n{string.Join('\n', written)}");
    }

    [Fact]
    public async Task AtTheShippedLevels_AdminRequestsWithoutAValidCredential_WriteNoLine()
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (key, level) in ShippedLogLevels())
        {
            settings[key] = level;
        }

        var lines = new LineCapture();
        await using var gateway = await GatewayHost.StartAsync(settings, logs: lines);
        using var anonymous = new HttpClient { BaseAddress = gateway.BaseAddress };
        var before = lines.Count;

        var statuses = new List<HttpStatusCode>();
        foreach (var credential in (string?[])[null, "Cookie: synapse-session=ended-or-invented", "Authorization: Bearer not-the-admin-token"])
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/api/keys");
            if (credential?.Split(": ", 2) is [var name, var value])
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            statuses.Add((await anonymous.SendAsync(request)).StatusCode);
        }

        // The path ran: each was refused, and the gateway's Information lines do reach this capture
        // (its start-up summary); the authentication handlers wrote one or two lines per request.
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Contains(lines.Since(0).Take(before), l => l.StartsWith("Information ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines.Since(before), l => l.Contains("Synapse.Gateway.Security.", StringComparison.Ordinal));
    }

    /// <summary>The shipped <c>Logging:LogLevel:*</c> settings, as configuration keys.</summary>
    private static IEnumerable<(string Key, string Level)> ShippedLogLevels()
    {
        var shipped = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("Gateway.Api", "appsettings.json")))!["Logging"]!["LogLevel"]!.AsObject();
        Assert.NotEmpty(shipped);
        return shipped.Select(p => ("Logging:LogLevel:" + p.Key, p.Value!.GetValue<string>()));
    }

    private static async Task AnsweredAsync(GatewayHost gateway, HttpResponseMessage response) =>
        Assert.NotEmpty(await gateway.AuditEventsOfAsync(response));

    private static object Chat(string text) => new { model = "llama3", messages = new[] { new { role = "user", content = text } } };

    /// <summary>
    /// This gateway's log lines alone (the suite's other gateways log elsewhere), less the silo's
    /// reports on the machine itself: the watchdog and the health monitor warn when the runtime or
    /// the thread pool stalls (a loaded CI machine, a long GC pause), whatever the traffic.
    /// </summary>
    private sealed class LineCapture : ILoggerProvider
    {
        private static readonly string[] MachineHealthCategories =
        [
            "Orleans.Runtime.Watchdog",
            "Orleans.Runtime.MembershipService.LocalSiloHealthMonitor",
        ];

        private readonly ConcurrentQueue<string> _lines = new();

        public int Count => _lines.Count;

        public List<string> Since(int count) => [.. _lines.Skip(count)];

        public ILogger CreateLogger(string categoryName) =>
            MachineHealthCategories.Contains(categoryName) ? NullLogger.Instance : new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
        }
    }
}
