using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Synapse.RateLimiting;
using Synapse.Tests.Dlp;

namespace Synapse.Benchmarks.RateLimiting;

/// <summary>
/// The prompt-token estimate admission makes of every chat request, on the DLP benchmarks'
/// hostile inputs and on ordinary prose, each as one 4 MiB user message (the largest body a
/// request may have by default). Budget: under 20 ms for any 4 MiB input.
/// </summary>
[MemoryDiagnoser]
public class TokenEstimatorBenchmarks
{
    private JsonObject _body = null!;

    [Params("prose", "one-letter", "random-letters", "digits", "eyJ-repeated", "sk-repeated", "zero-width-digits", "cjk")]
    public string Input { get; set; } = "prose";

    [GlobalSetup]
    public void Setup()
    {
        const int Length = 4 * 1024 * 1024;
        var text = Input switch
        {
            "prose" => Repeat("The quarterly report covers revenue, costs and the hiring plan for the next two years. ", Length),
            "one-letter" => new string('a', Length),
            "random-letters" => RandomLetters(Length),
            "cjk" => Repeat("数据保护与隐私政策适用于所有员工和承包商。", Length),
            _ => HostileInput.Create(Input, Length),
        };
        _body = new JsonObject
        {
            ["model"] = "m",
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "You answer questions about the quarterly report." },
                new JsonObject { ["role"] = "user", ["content"] = text }),
        };
    }

    [Benchmark]
    public int EstimateChat() => PromptTokenEstimator.EstimateChat(_body, firstMessageTokens: 12);

    private static string Repeat(string unit, int length)
    {
        var builder = new System.Text.StringBuilder(length + unit.Length);
        while (builder.Length < length)
        {
            builder.Append(unit);
        }

        return builder.ToString(0, length);
    }

    private static string RandomLetters(int length)
    {
        var random = new Random(7);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
    }
}
