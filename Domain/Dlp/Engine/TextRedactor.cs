using System.Text;

namespace Synapse.Dlp.Engine;

/// <summary>Writes original text with every redact or block cluster replaced by its marker.</summary>
internal static class TextRedactor
{
    public static void Append(StringBuilder output, ReadOnlySpan<char> original, int from, int to, List<Cluster> clusters, DetectorSet set)
    {
        var pos = from;
        foreach (var cluster in clusters)
        {
            if (cluster.Start < from || cluster.End > to)
            {
                continue;
            }

            if (set.Actions[cluster.Winner.Detector] >= DlpAction.Redact)
            {
                output.Append(original[pos..cluster.Start]);
                output.Append(set.Markers[cluster.Winner.Detector]);
                pos = cluster.End;
            }
        }

        output.Append(original[pos..to]);
    }

    public static DlpFinding ToFinding(Cluster cluster, DetectorSet set, int offset = 0) => new(
        set.Detectors[cluster.Winner.Detector].Category,
        cluster.Start + offset,
        cluster.End - cluster.Start,
        set.Actions[cluster.Winner.Detector]);
}
