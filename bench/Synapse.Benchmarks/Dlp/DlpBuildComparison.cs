using System.Diagnostics;
using System.Globalization;

namespace Synapse.Benchmarks.Dlp;

/// <summary>
/// <c>dlp-ab &lt;before-folder&gt; &lt;after-folder&gt;</c>: the DLP throughput cases of
/// <see cref="DlpScanBenchmarks"/> and <see cref="DlpPromptBenchmarks"/> (one-shot scans, default
/// policy) and the 8 KB prompt streamed in 4-character deltas through a streaming redactor, for two
/// builds of the engine loaded side by side in this process, each folder holding a
/// build's <c>Synapse.Domain.dll</c>. The two are measured in alternation, a few milliseconds each,
/// in process CPU time: on a machine shared with other builds, wall-clock means swing by half from
/// one run to the next with the load, while CPU time and, above all, the ratio of two builds
/// measured within the same few milliseconds stay put. Reports, per case, the median CPU time per
/// scan of each build and the median and quartiles of the per-round ratio.
/// </summary>
internal static class DlpBuildComparison
{
    private const int Rounds = 21;
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(10);

    public static int Run(string beforeFolder, string afterFolder)
    {
        var prompt = DlpBenchmarkText.Prompt8K();
        var deltas = Enumerable.Range(0, prompt.Length / 4).Select(i => prompt.Substring(i * 4, 4)).ToArray();
        var cases = new (string Name, Func<Build, Action> Work)[]
        {
            ("1 KB prose", Scan(DlpBenchmarkText.English(1024, densePii: false))),
            ("1 KB dense PII", Scan(DlpBenchmarkText.English(1024, densePii: true))),
            ("16 KB prose", Scan(DlpBenchmarkText.English(16 * 1024, densePii: false))),
            ("16 KB dense PII", Scan(DlpBenchmarkText.English(16 * 1024, densePii: true))),
            ("256 KB prose", Scan(DlpBenchmarkText.English(256 * 1024, densePii: false))),
            ("256 KB dense PII", Scan(DlpBenchmarkText.English(256 * 1024, densePii: true))),
            ("8 KB prompt", Scan(prompt)),
            ("8 KB streamed in 4-character deltas", build => () => build.Stream(deltas)),
        };
        var before = BuildOf(beforeFolder);
        var after = BuildOf(afterFolder);
        WarmUp([.. cases.Select(c => (c.Work(before), c.Work(after)))]);

        Console.WriteLine($"before: {beforeFolder}");
        Console.WriteLine($"after:  {afterFolder}");
        Console.WriteLine();
        Console.WriteLine("| case | before (CPU µs per scan) | after (CPU µs per scan) | change (median, quartiles) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, work) in cases)
        {
            var (runBefore, runAfter) = (work(before), work(after));
            var iterations = Calibrate(runBefore);
            var beforeTimes = new double[Rounds];
            var afterTimes = new double[Rounds];
            var ratios = new double[Rounds];
            for (var round = 0; round < Rounds; round++)
            {
                // Alternate which build goes first, so neither always follows the other's cache state.
                if (round % 2 == 0)
                {
                    beforeTimes[round] = CpuMicroseconds(runBefore, iterations);
                    afterTimes[round] = CpuMicroseconds(runAfter, iterations);
                }
                else
                {
                    afterTimes[round] = CpuMicroseconds(runAfter, iterations);
                    beforeTimes[round] = CpuMicroseconds(runBefore, iterations);
                }

                ratios[round] = afterTimes[round] / beforeTimes[round];
            }

            Array.Sort(beforeTimes);
            Array.Sort(afterTimes);
            Array.Sort(ratios);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {Median(beforeTimes):N2} | {Median(afterTimes):N2} | {Change(Median(ratios))} ({Change(ratios[Rounds / 4])} … {Change(ratios[3 * Rounds / 4])}) |"));
        }

        return 0;
    }

    private static Func<Build, Action> Scan(string text) => build => () => build.Scan(text);

    private static Build BuildOf(string folder)
    {
        var domain = new BuildLoadContext(Path.GetFullPath(folder)).LoadDomain();
        var policy = domain.GetType("Synapse.Dlp.DlpPolicy", throwOnError: true)!.GetProperty("Default")!.GetValue(null);
        var optionsType = domain.GetType("Synapse.Dlp.DlpScannerOptions", throwOnError: true)!;
        var options = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty("Budget")!.SetValue(options, TimeSpan.FromSeconds(10));
        var scannerType = domain.GetType("Synapse.Dlp.DlpScanner", throwOnError: true)!;
        var scanner = Activator.CreateInstance(scannerType, policy, options)!;
        return new Build(
            scannerType.GetMethod("Scan", [typeof(string)])!.CreateDelegate<Func<string, object>>(scanner),
            scannerType.GetMethod("CreateStreamingRedactor", Type.EmptyTypes)!.CreateDelegate<Func<object>>(scanner));
    }

    /// <summary>
    /// Runs every case on both builds, with pauses: the runtime compiles hot methods again with full
    /// optimisation on a background thread, which a busy machine may not schedule while this thread
    /// keeps both cores' worth of work queued.
    /// </summary>
    private static void WarmUp((Action Before, Action After)[] cases)
    {
        for (var pass = 0; pass < 4; pass++)
        {
            foreach (var (before, after) in cases)
            {
                foreach (var run in (ReadOnlySpan<Action>)[before, after])
                {
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed < Slice * 10)
                    {
                        run();
                    }
                }
            }

            Thread.Sleep(500);
        }
    }

    private static int Calibrate(Action run)
    {
        var iterations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Slice)
        {
            run();
            iterations++;
        }

        return iterations;
    }

    private static double CpuMicroseconds(Action run, int iterations)
    {
        var start = Environment.CpuUsage.TotalTime;
        for (var i = 0; i < iterations; i++)
        {
            run();
        }

        return (Environment.CpuUsage.TotalTime - start).TotalMicroseconds / iterations;
    }

    private static double Median(double[] sorted) => sorted[sorted.Length / 2];

    private static string Change(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{(ratio - 1) * 100:+0;-0;0} %");

    /// <summary>One build's scanner: a one-shot scan, and a fresh streaming redactor per stream.</summary>
    private sealed record Build(Func<string, object> Scan, Func<object> NewRedactor)
    {
        public int Stream(string[] deltas)
        {
            // Delegates bound once per stream, so the build's own work dominates the measurement, not reflection.
            var redactor = NewRedactor();
            var append = redactor.GetType().GetMethod("Append", [typeof(string)])!.CreateDelegate<Func<string, string>>(redactor);
            var complete = redactor.GetType().GetMethod("Complete", Type.EmptyTypes)!.CreateDelegate<Func<string>>(redactor);
            var emitted = 0;
            foreach (var delta in deltas)
            {
                emitted += append(delta).Length;
            }

            return emitted + complete().Length;
        }
    }
}
