using System.Runtime.InteropServices;
using Synapse.LoadHarness;
using Synapse.LoadHarness.Reporting;

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 4;
}

if (options.ShowHelp)
{
    Console.WriteLine(HarnessOptions.Usage);
    return 0;
}

// Ctrl+C and SIGTERM unwind the run normally, so the gateway child process is killed on the way out.
using var cancellation = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

HarnessReport report;
try
{
    var commandLine = "dotnet run -c Release --project bench/Synapse.LoadHarness --" + string.Concat(args.Select(a => " " + a));
    report = await new HarnessRun(options, commandLine).RunAsync(cancellation.Token);
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
catch (Exception e) when (e is SetupException or FileNotFoundException or InvalidOperationException or HttpRequestException)
{
    Console.Error.WriteLine(e.Message);
    if (e is SetupException { GatewayOutput.Count: > 0 } setup)
    {
        Console.Error.WriteLine("--- the gateway's last output ---");
        Console.Error.WriteLine(string.Join(Environment.NewLine, setup.GatewayOutput));
    }

    return 3;
}

Console.WriteLine(ReportWriter.ToText(report));
if (report.GatewayOutput.Count > 0)
{
    // The gateway runs at Warning level: whatever it printed during the run is worth seeing.
    Console.Error.WriteLine($"--- the gateway's output ({report.GatewayOutput.Count} lines kept; the last 60) ---");
    Console.Error.WriteLine(string.Join(Environment.NewLine, report.GatewayOutput.TakeLast(60)));
}

if (options.MarkdownPath is { } markdown)
{
    await File.WriteAllTextAsync(markdown, ReportWriter.ToMarkdown(report));
}

if (options.JsonPath is { } json)
{
    await File.WriteAllTextAsync(json, ReportWriter.ToJson(report));
}

if (report.Errors > 0)
{
    Console.Error.WriteLine($"{report.Errors} measured requests failed.");
    return 1;
}

return options.Check && !report.BudgetMet ? 2 : 0;

void Cancel(PosixSignalContext signal)
{
    signal.Cancel = true;
    cancellation.Cancel();
}
