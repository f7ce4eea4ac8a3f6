using Synapse.Dlp.Engine;
using Synapse.Dlp.Normalization;

namespace Synapse.Dlp;

/// <summary>
/// Scans text for the categories a <see cref="DlpPolicy"/> switches on. Immutable and thread-safe:
/// build one per policy (cheap; custom patterns were compiled by the policy) and share it.
/// Every method either returns a complete answer or throws <see cref="DlpScanException"/>, on which
/// the caller must fail closed.
/// </summary>
public sealed class DlpScanner
{
    private readonly DetectorSet _set;
    private readonly DlpScannerOptions _options;

    public DlpScanner(DlpPolicy policy, DlpScannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
        _options = options ?? new DlpScannerOptions();
        _set = DetectorSet.Build(policy);
        Normalization.CodePointNormalizer.Warm();
        EngineWarmUp.Ensure();
    }

    public DlpPolicy Policy { get; }

    /// <summary>Scans one text (a prompt part, a complete response).</summary>
    /// <exception cref="DlpScanException">The scan ran out of time or failed: fail closed.</exception>
    public DlpScanResult Scan(string text) => Guard(() => ScanOne(text, NewBudget()));

    /// <summary>
    /// Scans every text of one request (message content parts, tool-call arguments, tool results,
    /// <c>name</c> fields, embeddings input) under one shared time budget.
    /// </summary>
    /// <exception cref="DlpScanException">The scan ran out of time or failed: fail closed.</exception>
    public DlpBatchResult ScanAll(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Guard(() =>
        {
            var budget = NewBudget();
            var results = new DlpScanResult[texts.Count];
            for (var i = 0; i < texts.Count; i++)
            {
                results[i] = ScanOne(texts[i], budget);
            }

            return new DlpBatchResult(results, DlpVerdict.From(results.SelectMany(r => r.Findings)));
        });
    }

    /// <summary>
    /// Scans one text like <see cref="Scan(string)"/> and says, for each finding, which rule matched
    /// and why (<see cref="DlpExplanation"/>). For an operator's test box, not the request path: the
    /// explanations re-run each winning rule's checks.
    /// </summary>
    /// <exception cref="DlpScanException">The scan ran out of time or failed.</exception>
    public DlpExplainedResult Explain(string text) => Guard(() =>
    {
        ArgumentNullException.ThrowIfNull(text);
        var (result, clusters) = ScanCore(text, NewBudget());
        var explanations = new DlpExplanation[clusters.Count];
        if (clusters.Count > 0)
        {
            using var view = NormalizedView.Create(text);
            for (var i = 0; i < clusters.Count; i++)
            {
                var winner = clusters[i].Winner;
                var start = view.FromOriginal(winner.Start);
                var end = Math.Max(start, view.FromOriginal(winner.End));
                explanations[i] = _set.Detectors[winner.Detector].Explain(view.Text, start, end);
            }
        }

        return new DlpExplainedResult(result, explanations);
    });

    /// <summary>
    /// A redactor for one stream channel: create one per choice index and one per tool-call id.
    /// </summary>
    public StreamingRedactor CreateStreamingRedactor() => new(_set, _options);

    internal static T Guard<T>(Func<T> scan)
    {
        try
        {
            return scan();
        }
        catch (DlpScanException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new DlpScanException(DlpScanFailure.EngineFault, "The DLP engine failed; treat the text as unscanned.", ex);
        }
    }

    private ScanBudget NewBudget() => new(_options.TimeProvider, _options.Budget);

    private DlpScanResult ScanOne(string text, ScanBudget budget) => ScanCore(text, budget).Result;

    private (DlpScanResult Result, IReadOnlyList<Cluster> Clusters) ScanCore(string text, ScanBudget budget)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (candidates, _) = WindowScanner.Scan(_set, text, 0, final: true, budget);
        if (candidates.Count == 0)
        {
            // A clean text allocates only its result: the empty cluster list is a shared empty array.
            return (new DlpScanResult(text, [], DlpVerdict.Clean), []);
        }

        var clusters = ClusterResolver.Resolve(candidates, _set);
        var findings = new DlpFinding[clusters.Count];
        var modified = false;
        for (var i = 0; i < findings.Length; i++)
        {
            findings[i] = TextRedactor.ToFinding(clusters[i], _set);
            modified |= findings[i].Action >= DlpAction.Redact;
        }

        var redacted = modified ? TextRedactor.Redact(text, clusters, _set) : text;
        return (new DlpScanResult(redacted, findings, DlpVerdict.From(findings)), clusters);
    }
}
