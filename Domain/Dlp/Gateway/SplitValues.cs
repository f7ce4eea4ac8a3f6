using System.Text;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// Finds values split across two or more strings of the running text ("4111 1111" in one message,
/// "1111 1111" in the next): the joinable slots are scanned once more as one concatenation, and
/// a finding that crosses a slot boundary counts when no slot's own scan already covers it.
/// </summary>
internal static class SplitValues
{
    /// <summary>A split finding: the slots it spans, in order, and where it starts in the first and ends in the last.</summary>
    public sealed record Split(DlpFinding Finding, int[] Slots, int StartInFirst, int EndInLast)
    {
        public int First => Slots[0];

        public int Last => Slots[^1];
    }

    /// <param name="backwards">Join the slots last to first: a reader may put an answer's parts together in either order.</param>
    public static List<Split> Find(List<PromptSlot> slots, DlpBatchResult own, DlpScanner scanner, bool backwards = false)
    {
        var joined = new StringBuilder();
        var members = new List<(int Slot, int Start)>();
        for (var k = 0; k < slots.Count; k++)
        {
            var i = backwards ? slots.Count - 1 - k : k;
            if (slots[i].Joinable && slots[i].Text.Length > 0)
            {
                members.Add((i, joined.Length));
                joined.Append(slots[i].Text);
            }
        }

        var found = new List<Split>();
        if (members.Count < 2)
        {
            return found;
        }

        foreach (var finding in scanner.Scan(joined.ToString()).Findings)
        {
            var first = MemberAt(members, finding.Start);
            var last = MemberAt(members, finding.End - 1);
            if (first == last || Covered(members, first, last, finding, own))
            {
                continue;
            }

            found.Add(new Split(
                finding,
                [.. members.Skip(first).Take(last - first + 1).Select(m => m.Slot)],
                finding.Start - members[first].Start,
                finding.End - members[last].Start));
        }

        return found;
    }

    private static int MemberAt(List<(int Slot, int Start)> members, int offset)
    {
        var lo = 0;
        var hi = members.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (members[mid].Start <= offset)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    /// <summary>
    /// Whether any slot in the range found, by itself, something overlapping this finding that
    /// handles it: the same category, or an action at least as severe. A lesser finding does not
    /// (an address's <c>10.1.2.3</c> in one part, an alert, had hidden the e-mail address it began).
    /// </summary>
    private static bool Covered(List<(int Slot, int Start)> members, int first, int last, DlpFinding finding, DlpBatchResult own)
    {
        for (var m = first; m <= last; m++)
        {
            var (slot, start) = members[m];
            foreach (var f in own.Results[slot].Findings)
            {
                if (f.Start + start < finding.End && finding.Start < f.End + start
                    && (f.Category == finding.Category || f.Action >= finding.Action))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
