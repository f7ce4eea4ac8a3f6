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

    /// <summary>
    /// The whole of <paramref name="original"/> with every redact or block cluster replaced by its
    /// marker, written once into a string of the exact length (no builder to grow and copy: on a
    /// 256 KB text that was two extra half-megabyte buffers per scan).
    /// </summary>
    public static string Redact(string original, List<Cluster> clusters, DetectorSet set)
    {
        var length = original.Length;
        foreach (var cluster in clusters)
        {
            if (set.Actions[cluster.Winner.Detector] >= DlpAction.Redact)
            {
                length += set.Markers[cluster.Winner.Detector].Length - (cluster.End - cluster.Start);
            }
        }

        return string.Create(length, (original, clusters, set), static (output, state) =>
        {
            var (text, clusters, set) = state;
            var pos = 0;
            var written = 0;
            foreach (var cluster in clusters)
            {
                if (set.Actions[cluster.Winner.Detector] < DlpAction.Redact)
                {
                    continue;
                }

                text.AsSpan(pos, cluster.Start - pos).CopyTo(output[written..]);
                written += cluster.Start - pos;
                var marker = set.Markers[cluster.Winner.Detector];
                marker.CopyTo(output[written..]);
                written += marker.Length;
                pos = cluster.End;
            }

            text.AsSpan(pos).CopyTo(output[written..]);
        });
    }

    public static DlpFinding ToFinding(Cluster cluster, DetectorSet set, int offset = 0) => new(
        set.Detectors[cluster.Winner.Detector].Category,
        cluster.Start + offset,
        cluster.End - cluster.Start,
        set.Actions[cluster.Winner.Detector]);
}
