using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Synapse.LoadHarness.Reporting;

/// <summary>The report as a console table, as markdown, or as JSON.</summary>
internal static class ReportWriter
{
    public static string ToText(HarnessReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Rate {report.Rate}/s per path, {report.DurationSeconds} s measured + {report.WarmupSeconds} s warm-up per path, alternating every {report.SliceSeconds} s; upstream latency {report.UpstreamLatencyMs} ms"));
        text.AppendLine(Invariant($"Machine: {report.Machine}"));
        if (report.GatewayEnvironment.Count > 0)
        {
            text.AppendLine(Invariant($"Gateway environment: {string.Join(' ', report.GatewayEnvironment)}"));
        }

        foreach (var s in report.Scenarios)
        {
            text.AppendLine();
            text.AppendLine(Invariant($"{s.Name} — {s.Metric}, ms from the scheduled send time"));
            text.AppendLine(Invariant($"{"path",-8} {"sent",7} {"ok",7} {"errors",6} {"rate/s",7} {"p50",8} {"p90",8} {"p99",8} {"p99.9",8} {"max",8} {"mean",8} {"lag p50",8} {"lag p99",8}"));
            foreach (var p in new[] { s.Direct, s.Gateway })
            {
                var l = p.Latency;
                text.AppendLine(Invariant($"{p.Name,-8} {p.Sent,7} {p.Succeeded,7} {p.Errors,6} {p.AchievedRate,7:0.0} {l.P50,8:0.00} {l.P90,8:0.00} {l.P99,8:0.00} {l.P999,8:0.00} {l.Max,8:0.00} {l.Mean,8:0.00} {p.StartLag.P50,8:0.00} {p.StartLag.P99,8:0.00}"));
                foreach (var (reason, count) in p.ErrorsByReason)
                {
                    text.AppendLine(Invariant($"         error: {reason} x{count}"));
                }
            }

            text.AppendLine(Invariant($"{"added",-8} {"",7} {"",7} {"",6} {"",7} {s.AddedP50,8:+0.00;-0.00} {s.AddedP90,8:+0.00;-0.00} {s.AddedP99,8:+0.00;-0.00} {"",8} {"",8} {s.AddedMean,8:+0.00;-0.00}"));
            if (s.Stream)
            {
                text.AppendLine(Invariant($"whole stream p50/p99: direct {s.Direct.Total.P50:0.00}/{s.Direct.Total.P99:0.00}, gateway {s.Gateway.Total.P50:0.00}/{s.Gateway.Total.P99:0.00}"));
            }

            text.AppendLine(Invariant($"CPU per gateway request: gateway process {s.GatewayCpuMsPerRequest:0.000} ms (idle before the run: {s.GatewayIdleCpuPercent:0.0}% of a core); harness (client + mock, both paths) {s.HarnessCpuMsPerRequest:0.000} ms per request sent"));
            if (s.BudgetMet is { } met)
            {
                text.AppendLine(Invariant($"Budget (added p50 <= {HarnessOptions.BudgetAddedP50Ms} ms, p99 <= {HarnessOptions.BudgetAddedP99Ms} ms): {(met ? "MET" : "MISSED")}"));
            }
        }

        text.AppendLine();
        text.AppendLine(Invariant($"Gateway working set at the end: {report.GatewayWorkingSetMb:0} MB"));
        return text.ToString();
    }

    public static string ToMarkdown(HarnessReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant($"### Run of {report.StartedAt:yyyy-MM-dd HH:mm} UTC"));
        md.AppendLine();
        md.AppendLine(Invariant($"`{report.CommandLine}`"));
        md.AppendLine();
        md.AppendLine(Invariant($"{report.Rate} requests/s on each path, {report.DurationSeconds} s measured after {report.WarmupSeconds} s warm-up per path, paths alternating every {report.SliceSeconds} s; mock upstream latency {report.UpstreamLatencyMs} ms. Machine: {report.Machine}."));
        if (report.GatewayEnvironment.Count > 0)
        {
            md.AppendLine(Invariant($"Gateway environment: `{string.Join(' ', report.GatewayEnvironment)}`."));
        }

        foreach (var s in report.Scenarios)
        {
            md.AppendLine();
            md.AppendLine(Invariant($"**{s.Name}** — {s.Metric}, ms from the scheduled send time"));
            md.AppendLine();
            md.AppendLine("| path | ok / sent | errors | rate/s | p50 | p90 | p99 | p99.9 | max |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var p in new[] { s.Direct, s.Gateway })
            {
                var l = p.Latency;
                md.AppendLine(Invariant($"| {p.Name} | {p.Succeeded} / {p.Sent} | {p.Errors} | {p.AchievedRate:0.0} | {l.P50:0.00} | {l.P90:0.00} | {l.P99:0.00} | {l.P999:0.00} | {l.Max:0.00} |"));
            }

            md.AppendLine(Invariant($"| **added** | | | | **{s.AddedP50:+0.00;-0.00}** | {s.AddedP90:+0.00;-0.00} | **{s.AddedP99:+0.00;-0.00}** | | |"));
            md.AppendLine();
            md.AppendLine(Invariant($"Gateway CPU {s.GatewayCpuMsPerRequest:0.000} ms per request (idle: {s.GatewayIdleCpuPercent:0.0}% of a core); harness start lag p99 {Math.Max(s.Direct.StartLag.P99, s.Gateway.StartLag.P99):0.00} ms."));
            if (s.BudgetMet is { } met)
            {
                md.AppendLine(Invariant($"Budget (added p50 ≤ {HarnessOptions.BudgetAddedP50Ms} ms, p99 ≤ {HarnessOptions.BudgetAddedP99Ms} ms): **{(met ? "met" : "missed")}**."));
            }
        }

        return md.ToString();
    }

    public static string ToJson(HarnessReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.HarnessReport);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
