namespace Synapse.Dlp.Gateway;

/// <summary>
/// <see cref="DlpScanner.ScanAll"/> for the many short strings of a JSON body. Short runs of
/// lower-case letters, spaces and underscores — schema keywords, enum values, names like
/// <c>city</c> or <c>get_weather</c> — cannot hold any built-in category (each needs a digit, a
/// capital, <c>@</c> or punctuation), so while the policy has no custom category (whose pattern
/// could match a plain word) they skip the engine's per-text overhead.
/// </summary>
internal static class BatchScan
{
    private const int MaxPlainWordsLength = 64;

    /// <exception cref="DlpScanException">The engine failed or ran out of time: the caller fails closed.</exception>
    public static DlpBatchResult ScanAll(DlpScanner scanner, IReadOnlyList<string> texts)
    {
        if (scanner.Policy.Custom.Count > 0)
        {
            return scanner.ScanAll(texts);
        }

        var scanned = new List<int>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (!IsPlainWords(texts[i]))
            {
                scanned.Add(i);
            }
        }

        if (scanned.Count == texts.Count)
        {
            return scanner.ScanAll(texts);
        }

        var batch = scanner.ScanAll([.. scanned.Select(i => texts[i])]);
        var results = new DlpScanResult[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            results[i] = new DlpScanResult(texts[i], [], DlpVerdict.Clean);
        }

        for (var k = 0; k < scanned.Count; k++)
        {
            results[scanned[k]] = batch.Results[k];
        }

        return new DlpBatchResult(results, batch.Verdict);
    }

    private static bool IsPlainWords(string text)
    {
        if (text.Length > MaxPlainWordsLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= 'a' and <= 'z') or '_' or ' '))
            {
                return false;
            }
        }

        return true;
    }
}
