using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Data.Sqlite;
using Synapse.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Synapse.Tests.Hosting;

/// <summary>
/// SIGTERM to a real all-in-one gateway while streams outlast its grace period: each stream still
/// open at the cut-off ends with the terminal error event its client API reads (OpenAI's error
/// object without <c>[DONE]</c>, Anthropic's <c>event: error</c>, the Responses API's
/// <c>error</c>), not a reset connection, and each request's completion is in the audit log as
/// interrupted by the shutdown, with the tokens and the response DLP findings so far.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ShutdownCutOffProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string SlowModel = "slow-stream";

    private MockOpenAiUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await MockOpenAiUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task StreamsStillOpenAtTheEndOfTheGracePeriod_EndWithTheirApisErrorEvent_AndAreAuditedAsInterrupted()
    {
        // An e-mail address early on (redacted by default) and far more words than the grace period lets through.
        _upstream.ReplyByModel[SlowModel] = "Write to alice@example.com about " + string.Join(' ', Enumerable.Range(0, 120).Select(i => "word" + i.ToString(CultureInfo.InvariantCulture)));
        _upstream.ChunkDelayByModel[SlowModel] = TimeSpan.FromMilliseconds(200);
        var settings = GatewayHost.Provider("local", _upstream.BaseUrl, "on-prem", SlowModel);
        settings["Synapse:Shutdown:GracePeriodSeconds"] = "6";
        settings["Synapse:Shutdown:SiloStopReserveSeconds"] = "3";
        await using var gateway = await GatewayProcess.StartAsync(settings);
        await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        var (_, secret) = await gateway.CreateKeyAsync([SlowModel]);
        using var client = gateway.ClientFor(secret);
        client.Timeout = TimeSpan.FromSeconds(60);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");

        var streams = new[]
        {
            await OpenAsync(client, "/v1/chat/completions", new { model = SlowModel, stream = true, messages = new[] { new { role = "user", content = "chat" } } }, "data: {\"id\""),
            await OpenAsync(client, "/v1/messages", new { model = SlowModel, stream = true, max_tokens = 500, messages = new[] { new { role = "user", content = "messages" } } }, "event: content_block_delta"),
            await OpenAsync(client, "/v1/responses", new { model = SlowModel, stream = true, input = "responses" }, "event: response.output_text.delta"),
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        gateway.Terminate();
        var bodies = await Task.WhenAll(streams.Select(s => s.ReadRestAsync()));
        var endedAt = clock.Elapsed;
        var exited = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"streams ended {endedAt.TotalSeconds:F1} s after SIGTERM; the gateway exited after {clock.Elapsed.TotalSeconds:F1} s"));
        for (var i = 0; i < bodies.Length; i++)
        {
            output.WriteLine($"--- {streams[i].Path}: ...{bodies[i][Math.Max(0, bodies[i].Length - 400)..]}");
        }

        Assert.True(exited, "The gateway did not exit:\n" + gateway.Output);
        Assert.True(gateway.Process.ExitCode == 0, $"exit code {gateway.Process.ExitCode}:\n{gateway.Output}");

        // Cut off at the grace period less its reserve (6 - 3 s), not when the grace period ran out.
        Assert.InRange(endedAt, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(5.5));
        var (chat, messages, responses) = (bodies[0], bodies[1], bodies[2]);
        Assert.DoesNotContain("(connection reset)", string.Concat(bodies), StringComparison.Ordinal);
        Assert.EndsWith("\"code\":\"server_shutting_down\"}}\n\n", chat, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", chat, StringComparison.Ordinal);
        Assert.Contains("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("event: message_stop", messages, StringComparison.Ordinal);
        Assert.Contains("event: error\ndata: {\"type\":\"error\"", responses, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"server_shutting_down\"", responses, StringComparison.Ordinal);
        Assert.DoesNotContain("response.completed", responses, StringComparison.Ordinal);

        var completions = ReadCompletions(gateway.Settings["Synapse:DataDirectory"]!);
        output.WriteLine(string.Join('\n', completions.Values));
        foreach (var stream in streams)
        {
            Assert.True(completions.TryGetValue(stream.RequestId, out var completion), $"no completion for {stream.Path}:\n{gateway.Output}");
            Assert.Equal("shutdown_interrupted", completion.Outcome);
            Assert.True(completion.CompletionTokens > 0, $"{stream.Path}: {completion}");
            Assert.Contains("email", completion.DlpCategories ?? string.Empty, StringComparison.Ordinal);
        }
    }

    /// <summary>Sends a streamed request and reads until <paramref name="started"/> has arrived (the stream runs).</summary>
    private static async Task<OpenStream> OpenAsync(HttpClient client, string path, object body, string started)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var stream = new OpenStream(path, response, response.Headers.GetValues("x-request-id").Single());
        await stream.ReadUntilAsync(started);
        return stream;
    }

    private static Dictionary<string, Completion> ReadCompletions(string dataDirectory)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "synapse.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id, outcome, completion_tokens, dlp_categories FROM audit_events WHERE kind = 'completion'";
        using var reader = command.ExecuteReader();
        var completions = new Dictionary<string, Completion>(StringComparer.Ordinal);
        while (reader.Read())
        {
            completions[reader.GetString(0)] = new Completion(reader.GetString(1), reader.IsDBNull(2) ? 0 : reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        }

        return completions;
    }

    private sealed record Completion(string Outcome, int CompletionTokens, string? DlpCategories);

    private sealed class OpenStream(string path, HttpResponseMessage response, string requestId)
    {
        private readonly StringBuilder _read = new();
        private Stream? _body;

        public string Path => path;

        public string RequestId => requestId;

        public async Task ReadUntilAsync(string text)
        {
            _body ??= await response.Content.ReadAsStreamAsync();
            var buffer = new byte[4096];
            while (!_read.ToString().Contains(text, StringComparison.Ordinal))
            {
                var n = await _body.ReadAsync(buffer);
                if (n == 0)
                {
                    throw new InvalidOperationException($"{path} ended before '{text}':\n{_read}");
                }

                _read.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
        }

        /// <summary>The whole body once the server ends it; a reset connection is marked at its end.</summary>
        public async Task<string> ReadRestAsync()
        {
            using (response)
            {
                try
                {
                    using var reader = new StreamReader(_body!, Encoding.UTF8);
                    _read.Append(await reader.ReadToEndAsync());
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    _read.Append("(connection reset)");
                }

                return _read.ToString();
            }
        }
    }
}
