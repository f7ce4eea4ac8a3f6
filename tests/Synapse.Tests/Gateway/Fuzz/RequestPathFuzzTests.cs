using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Synapse.Tests.Gateway.Fuzz;

/// <summary>
/// Thousands of mutated requests (bodies, chunked framing, content types, credentials) against the
/// real gateway over real HTTP: none may get a 5xx, every error must be in OpenAI's shape, and every
/// request must be in the audit log — its own rows by request id, or, for failed authentications,
/// its share of its address's aggregated count. The seed is fixed and printed with every failure;
/// set SYNAPSE_FUZZ_SEED and SYNAPSE_FUZZ_CASES to explore further.
/// </summary>
[Trait("Category", "Slow")]
[Collection(EdgeGatewayCollection.Name)]
public sealed class RequestPathFuzzTests(EdgeGatewayFixture fixture, ITestOutputHelper output)
{
    private const int DefaultSeed = 20_261_125;
    private const int DefaultCases = 2_000;

    [Fact]
    public async Task MutatedRequests_NeverGet5xx_AndEveryOneIsAudited()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SYNAPSE_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var cases = int.TryParse(Environment.GetEnvironmentVariable("SYNAPSE_FUZZ_CASES"), CultureInfo.InvariantCulture, out var c) ? c : DefaultCases;
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (_, secret) = await fixture.CreateKeyAsync();
        var fuzzer = new RequestFuzzer(secret, EdgeGatewayFixture.Model);
        var source = LoopbackSource.Next();
        var results = new ConcurrentBag<(int Index, FuzzCase Case, RawHttp.Response Response)>();
        var latencies = new ConcurrentBag<(TimeSpan Took, string Description)>();
        var problems = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, cases), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (index, _) =>
        {
            var fuzzCase = fuzzer.Create(seed, index);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var response = await RawHttp.SendAsync(fixture.Gateway.BaseAddress, source, fuzzCase.Request, TimeSpan.FromSeconds(30));
                latencies.Add((Stopwatch.GetElapsedTime(started), $"{response.Status} {fuzzCase.Description}"));
                results.Add((index, fuzzCase, response));
                if (Check(response) is { } problem)
                {
                    problems.Enqueue($"case {index} ({fuzzCase.Description}): {problem}");
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException)
            {
                problems.Enqueue($"case {index} ({fuzzCase.Description}): no response ({e.GetType().Name}: {e.Message})");
            }
        });
        var sent = clock.Elapsed;

        await fixture.FlushFailuresAsync();
        problems = new ConcurrentQueue<string>(problems.Concat(await UnauditedAsync(results, since, source.ToString())));
        output.WriteLine($"seed {seed}: {cases} cases in {sent.TotalSeconds:F1} s, audit checked after {clock.Elapsed.TotalSeconds:F1} s; statuses {string.Join(", ", results.GroupBy(r => r.Response.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}");

        foreach (var (took, description) in latencies.OrderByDescending(l => l.Took).Take(5))
        {
            output.WriteLine($"slowest: {took.TotalMilliseconds:F0} ms {description}");
        }

        Assert.True(problems.IsEmpty, $"Fuzz seed {seed} ({cases} cases; rerun with SYNAPSE_FUZZ_SEED={seed}):\n" + string.Join('\n', problems.Take(25)));
        Assert.Contains(results, r => r.Response.Status == 200);
        Assert.Contains(results, r => r.Response.Status == 400);
    }

    private static string? Check(RawHttp.Response response)
    {
        if (response.Status >= 500)
        {
            return $"status {response.Status}: {Shorten(response.Text)}";
        }

        if (response.Header("x-request-id") is null)
        {
            return $"status {response.Status} without x-request-id (answered outside the gateway's handler)";
        }

        if (response.Status >= 400)
        {
            try
            {
                var error = JsonNode.Parse(response.Text)?["error"];
                if (error?["message"]?.GetValue<string>() is not { Length: > 0 } || error["type"] is null || error["code"] is null)
                {
                    return $"status {response.Status} not in OpenAI's error shape: {Shorten(response.Text)}";
                }
            }
            catch (JsonException)
            {
                return $"status {response.Status} with a body that is not JSON: {Shorten(response.Text)}";
            }
        }

        return null;
    }

    /// <summary>Requests missing from the audit log: by id for those the gateway authenticated, by count for the rest.</summary>
    private async Task<IEnumerable<string>> UnauditedAsync(IEnumerable<(int Index, FuzzCase Case, RawHttp.Response Response)> results, DateTimeOffset since, string source)
    {
        var answered = results.ToList();
        var failedAuthentication = answered.Where(r => IsFailedAuthentication(r.Response)).ToList();
        var authenticated = answered.Except(failedAuthentication).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> missing;
        List<AuditRecord> rows;
        do
        {
            rows = await fixture.AuditSinceAsync(since);
            var byRequest = rows.Where(r => r.RequestId is not null).ToLookup(r => r.RequestId!);
            missing = [.. authenticated
                .Where(r => !IsAudited(byRequest[r.Response.Header("x-request-id")!], r.Response))
                .Select(r => $"case {r.Index} ({r.Case.Description}): status {r.Response.Status} has no complete audit rows")];
            if (missing.Count == 0)
            {
                break;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        var counted = rows.Where(r => r.ClientAddress == source && r.Outcome == AuditOutcomes.InvalidKey && r.RequestId is null).Sum(r => r.Count ?? 1);
        if (counted != failedAuthentication.Count)
        {
            missing.Add($"{failedAuthentication.Count} failed authentications answered, {counted} counted in the audit log");
        }

        return missing;
    }

    /// <summary>A refusal has its rejection row; an admitted request also its completion once the answer is out.</summary>
    private static bool IsAudited(IEnumerable<AuditRecord> rows, RawHttp.Response response)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return false;
        }

        var admitted = list.Any(r => r.Kind == AuditEventKind.Request && r.Model is not null);
        return !admitted || response.Status != 200 || list.Any(r => r.Kind == AuditEventKind.Completion);
    }

    private static bool IsFailedAuthentication(RawHttp.Response response) =>
        response.Status == 401 || (response.Status == 429 && response.Text.Contains("too_many_failed_authentications", StringComparison.Ordinal));

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
