using System.Globalization;

namespace Synapse.LoadHarness;

/// <summary>The harness's command line; every figure it prints depends on these values.</summary>
internal sealed class HarnessOptions
{
    public int Rate { get; private set; } = 200;

    public int DurationSeconds { get; private set; } = 30;

    public int WarmupSeconds { get; private set; } = 5;

    public double SliceSeconds { get; private set; } = 1;

    public int UpstreamLatencyMs { get; private set; } = 20;

    public bool Stream { get; private set; }

    public int StreamChunks { get; private set; } = 20;

    public int StreamChunkIntervalMs { get; private set; } = 5;

    public int PromptChars { get; private set; } = 1000;

    public int CompletionChars { get; private set; } = 1500;

    public int TimeoutSeconds { get; private set; } = 30;

    public int StartupTimeoutSeconds { get; private set; } = 90;

    public string? GatewayDll { get; private set; }

    public List<KeyValuePair<string, string>> GatewayEnvironment { get; } = [];

    public string? MarkdownPath { get; private set; }

    public string? JsonPath { get; private set; }

    public bool Check { get; private set; }

    public bool ShowHelp { get; private set; }

    public const double BudgetAddedP50Ms = 1;

    public const double BudgetAddedP99Ms = 5;

    public const string Usage = """
        Synapse load harness: the gateway's added latency over calling the upstream directly.

        Usage: dotnet run -c Release --project bench/Synapse.LoadHarness -- [options]

          --rate N                    requests per second on each path (default 200)
          --duration S                measured seconds per path (default 30)
          --warmup S                  unmeasured seconds per path before that (default 5)
          --slice S                   the paths alternate every S seconds (default 1)
          --upstream-latency-ms MS    the mock's fixed latency before answering (default 20)
          --stream                    also run the streaming scenario (time to first byte)
          --stream-chunks N           content chunks per streamed answer (default 20)
          --stream-chunk-interval-ms  pause between streamed chunks (default 5)
          --prompt-chars N            size of the user message sent (default 1000)
          --completion-chars N        size of the answer's content (default 1500)
          --timeout S                 per-request timeout (default 30)
          --startup-timeout S         how long to wait for the gateway's /healthz (default 90)
          --gateway-dll PATH          the built Synapse.Gateway.Api.dll (default: found from the
                                      repository root, Gateway.Api/bin/Release/net10.0)
          --gateway-env NAME=VALUE    extra environment for the gateway process (repeatable),
                                      e.g. DOTNET_gcServer=0
          --markdown PATH             also write the results as markdown
          --json PATH                 also write the results as JSON
          --check                     exit 2 when the budget (added p50 <= 1 ms, p99 <= 5 ms,
                                      non-streaming) is missed

        Exit codes: 0 ok, 1 request errors, 2 budget missed (--check), 3 set-up failed, 4 usage.
        """;

    public static HarnessOptions Parse(string[] args)
    {
        var options = new HarnessOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int NextInt(int min) => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v
                : throw new ArgumentException($"{name} needs a whole number of at least {min}.");

            switch (name)
            {
                case "--rate": options.Rate = NextInt(1); break;
                case "--duration": options.DurationSeconds = NextInt(1); break;
                case "--warmup": options.WarmupSeconds = NextInt(0); break;
                case "--slice":
                    options.SliceSeconds = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var slice) && slice >= 0.1
                        ? slice
                        : throw new ArgumentException("--slice needs a number of seconds of at least 0.1.");
                    break;
                case "--upstream-latency-ms": options.UpstreamLatencyMs = NextInt(0); break;
                case "--stream": options.Stream = true; break;
                case "--stream-chunks": options.StreamChunks = NextInt(1); break;
                case "--stream-chunk-interval-ms": options.StreamChunkIntervalMs = NextInt(0); break;
                case "--prompt-chars": options.PromptChars = NextInt(1); break;
                case "--completion-chars": options.CompletionChars = NextInt(1); break;
                case "--timeout": options.TimeoutSeconds = NextInt(1); break;
                case "--startup-timeout": options.StartupTimeoutSeconds = NextInt(1); break;
                case "--gateway-dll": options.GatewayDll = Next(); break;
                case "--gateway-env":
                    var pair = Next();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException("--gateway-env needs NAME=VALUE.");
                    }

                    options.GatewayEnvironment.Add(new(pair[..eq], pair[(eq + 1)..]));
                    break;
                case "--markdown": options.MarkdownPath = Next(); break;
                case "--json": options.JsonPath = Next(); break;
                case "--check": options.Check = true; break;
                case "-h" or "--help": options.ShowHelp = true; break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return options;
    }
}
