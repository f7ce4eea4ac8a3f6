using System.Runtime.InteropServices;

namespace Synapse.Dlp.Engine;

/// <summary>
/// Resolves overlaps deterministically: overlapping candidates form one finding covering their
/// union (so no part of any match leaks), named by the winner — the more severe action, then the
/// higher-precedence category (secret beats card beats … phone beats ip), then the longer match,
/// then the earlier one.
/// </summary>
internal static class ClusterResolver
{
    public static List<Cluster> Resolve(List<Candidate> candidates, DetectorSet set)
    {
        var clusters = new List<Cluster>(candidates.Count);
        if (candidates.Count == 0)
        {
            return clusters;
        }

        // Candidate's own order (by start, the longer first): the sort calls it directly, not
        // through a delegate.
        CollectionsMarshal.AsSpan(candidates).Sort();
        var current = new Cluster(candidates[0].Start, candidates[0].End, candidates[0]);
        for (var i = 1; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (c.Start < current.End)
            {
                current = new Cluster(current.Start, Math.Max(current.End, c.End), Better(current.Winner, c, set));
            }
            else
            {
                clusters.Add(current);
                current = new Cluster(c.Start, c.End, c);
            }
        }

        clusters.Add(current);
        return clusters;
    }

    private static Candidate Better(Candidate a, Candidate b, DetectorSet set)
    {
        var byAction = set.Actions[a.Detector].CompareTo(set.Actions[b.Detector]);
        if (byAction != 0)
        {
            return byAction > 0 ? a : b;
        }

        var byRank = set.Ranks[a.Detector].CompareTo(set.Ranks[b.Detector]);
        if (byRank != 0)
        {
            return byRank < 0 ? a : b;
        }

        var byLength = (a.End - a.Start).CompareTo(b.End - b.Start);
        if (byLength != 0)
        {
            return byLength > 0 ? a : b;
        }

        return a.Start <= b.Start ? a : b;
    }
}
