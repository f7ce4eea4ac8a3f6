using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Synapse.LoadHarness.Reporting;

/// <summary>Everything one run measured, and under which conditions.</summary>
internal sealed record HarnessReport(
    DateTimeOffset StartedAt,
    string CommandLine,
    string Machine,
    int Rate,
    int DurationSeconds,
    int WarmupSeconds,
    double SliceSeconds,
    int UpstreamLatencyMs,
    IReadOnlyList<string> GatewayEnvironment,
    double GatewayWorkingSetMb,
    IReadOnlyList<ScenarioResult> Scenarios,
    IReadOnlyList<string> GatewayOutput)
{
    public int Errors => Scenarios.Sum(s => s.Direct.Errors + s.Gateway.Errors);

    public bool BudgetMet => Scenarios.All(s => s.BudgetMet != false);

    public static string DescribeMachine() =>
        $"{Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.OSArchitecture}, .NET {Environment.Version}";
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(HarnessReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
