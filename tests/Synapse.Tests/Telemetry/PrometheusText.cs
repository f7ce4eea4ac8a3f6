using System.Text.RegularExpressions;

namespace Synapse.Tests.Telemetry;

/// <summary>A Prometheus text exposition, read line by line: a series is its name and its labels, in any order.</summary>
internal sealed partial class PrometheusText(string text)
{
    public string Text { get; } = text;

    /// <summary>The sample lines of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public IReadOnlyList<string> Series(string name, params (string Label, string Value)[] labels) =>
        [.. Text.Split('\n').Where(line =>
            (line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            && labels.All(l => line.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))];

    /// <summary>The sum of the matching samples (0 when none matches).</summary>
    public double Value(string name, params (string Label, string Value)[] labels) =>
        Series(name, labels).Sum(line => double.Parse(SampleValue().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"\s(\S+)(\s\d+)?$")]
    private static partial Regex SampleValue();
}
