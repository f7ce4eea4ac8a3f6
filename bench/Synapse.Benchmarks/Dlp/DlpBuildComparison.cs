using System.Diagnostics;
using System.Globalization;

namespace Synapse.Benchmarks.Dlp;

/// <summary>
/// <c>dlp-ab &lt;before-folder&gt; &lt;after-folder&gt;</c>: the DLP throughput cases of
/// <see cref="DlpScanBenchmarks"/> and <see cref="DlpPromptBenchmarks"/> (one-shot scans, default
/// policy) for two builds of the engine loaded side by side in this process, each folder holding a
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
        var cases = new (string Name, string Text)[]
        {
            ("1 KB prose", DlpBenchmarkText.English(1024, densePii: false)),
            ("1 KB dense PII", DlpBenchmarkText.English(1024, densePii: true)),
            ("16 KB prose", DlpBenchmarkText.English(16 * 1024, densePii: false)),
            ("16 KB dense PII", DlpBenchmarkText.English(16 * 1024, densePii: true)),
            ("256 KB prose", DlpBenchmarkText.English(256 * 1024, densePii: false)),
            ("256 KB dense PII", DlpBenchmarkText.English(256 * 1024, densePii: true)),
            ("8 KB prompt", DlpBenchmarkText.Prompt8K()),
        };
        var before = ScannerOf(beforeFolder);
        var after = ScannerOf(afterFolder);
        WarmUp(cases, before, after);

        Console.WriteLine($"before: {beforeFolder}");
        Console.WriteLine($"after:  {afterFolder}");
        Console.WriteLine();
        Console.WriteLine("| case | before (CPU µs per scan) | after (CPU µs per scan) | change (median, quartiles) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, text) in cases)
        {
            var iterations = Calibrate(before, text);
            var beforeTimes = new double[Rounds];
            var afterTimes = new double[Rounds];
            var ratios = new double[Rounds];
            for (var round = 0; round < Rounds; round++)
            {
                // Alternate which build goes first, so neither always follows the other's cache state.
                if (round % 2 == 0)
                {
                    beforeTimes[round] = CpuMicroseconds(before, text, iterations);
                    afterTimes[round] = CpuMicroseconds(after, text, iterations);
                }
                else
                {
                    afterTimes[round] = CpuMicroseconds(after, text, iterations);
                    beforeTimes[round] = CpuMicroseconds(before, text, iterations);
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

    private static Func<string, object> ScannerOf(string folder)
    {
        var domain = new BuildLoadContext(Path.GetFullPath(folder)).LoadDomain();
        var policy = domain.GetType("Synapse.Dlp.DlpPolicy", throwOnError: true)!.GetProperty("Default")!.GetValue(null);
        var optionsType = domain.GetType("Synapse.Dlp.DlpScannerOptions", throwOnError: true)!;
        var options = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty("Budget")!.SetValue(options, TimeSpan.FromSeconds(10));
        var scannerType = domain.GetType("Synapse.Dlp.DlpScanner", throwOnError: true)!;
        var scanner = Activator.CreateInstance(scannerType, policy, options)!;
        return scannerType.GetMethod("Scan", [typeof(string)])!.CreateDelegate<Func<string, object>>(scanner);
    }

    /// <summary>
    /// Runs every case on both builds, with pauses: the runtime compiles hot methods again with full
    /// optimisation on a background thread, which a busy machine may not schedule while this thread
    /// keeps both cores' worth of work queued.
    /// </summary>
    private static void WarmUp((string Name, string Text)[] cases, Func<string, object> before, Func<string, object> after)
    {
        for (var pass = 0; pass < 4; pass++)
        {
            foreach (var (_, text) in cases)
            {
                foreach (var scan in (ReadOnlySpan<Func<string, object>>)[before, after])
                {
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed < Slice * 10)
                    {
                        scan(text);
                    }
                }
            }

            Thread.Sleep(500);
        }
    }

    private static int Calibrate(Func<string, object> scan, string text)
    {
        var iterations = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Slice)
        {
            scan(text);
            iterations++;
        }

        return iterations;
    }

    private static double CpuMicroseconds(Func<string, object> scan, string text, int iterations)
    {
        var start = Environment.CpuUsage.TotalTime;
        for (var i = 0; i < iterations; i++)
        {
            scan(text);
        }

        return (Environment.CpuUsage.TotalTime - start).TotalMicroseconds / iterations;
    }

    private static double Median(double[] sorted) => sorted[sorted.Length / 2];

    private static string Change(double ratio) => string.Create(CultureInfo.InvariantCulture, $"{(ratio - 1) * 100:+0;-0;0} %");
}
