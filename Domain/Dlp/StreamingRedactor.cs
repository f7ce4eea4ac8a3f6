using System.Globalization;
using System.Text;
using Synapse.Dlp.Detection;
using Synapse.Dlp.Engine;

namespace Synapse.Dlp;

/// <summary>
/// Redacts one stream channel (one choice index, or one tool call's arguments) as deltas arrive.
/// <para>
/// Hold-back window: after each delta the redactor emits only the prefix that no later text can
/// turn into (or out of) a match. Each detector reports where its longest still-possible match
/// could begin — the trailing digit run for cards (at most 37 characters: 19 digits and 18
/// separators), the trailing word for e-mail local parts (at most 64), a token that begins like a
/// key prefix (at most 262; a JWT at most 8 KiB), an unfinished PEM block (at most 16 KiB), a custom
/// category's declared maximum length — and nothing earlier than that is withheld. Plain prose
/// therefore flows with about one word of lag; only text that is actually shaped like a match waits.
/// Matches already decided are redacted in the emitted text exactly as
/// <see cref="DlpScanner.Scan(string)"/> would redact the whole text.
/// </para>
/// <para>
/// Blocking: once a <c>block</c> category is certain, <see cref="IsBlocked"/> turns true, the text
/// before the match is the last output, and every later call returns an empty string; the caller
/// ends the stream with <c>finish_reason: content_filter</c>. A PEM private-key header blocks as soon
/// as the header line is complete.
/// </para>
/// Not thread-safe: one stream channel, one caller.
/// </summary>
public sealed class StreamingRedactor
{
    // Context kept before the first unemitted character, for look-behind (context words, boundaries).
    private const int ContextChars = DetectionLimits.LookBehind + 16;
    private const int MaxContextScan = 1024;

    private readonly DetectorSet _set;
    private readonly DlpScannerOptions _options;
    private readonly StringBuilder _window = new();
    private readonly List<DlpFinding> _findings = [];
    private int _windowStart;
    private int _emitted;
    private bool _completed;

    internal StreamingRedactor(DetectorSet set, DlpScannerOptions options)
    {
        _set = set;
        _options = options;
    }

    /// <summary>True once a <c>block</c> category was found; no more text will be emitted.</summary>
    public bool IsBlocked { get; private set; }

    /// <summary>Findings so far, with offsets into the whole original stream text.</summary>
    public IReadOnlyList<DlpFinding> Findings => _findings;

    public DlpVerdict Verdict => DlpVerdict.From(_findings);

    /// <summary>Characters received but not yet emitted.</summary>
    public int HeldBack => _windowStart + _window.Length - _emitted;

    /// <summary>Adds a delta and returns the text that is safe to send now (possibly empty).</summary>
    /// <exception cref="DlpScanException">Out of time, over the hold-back limit, or an engine fault: end the stream.</exception>
    public string Append(string delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (_completed)
        {
            throw new InvalidOperationException("The stream was already completed.");
        }

        if (IsBlocked)
        {
            return string.Empty;
        }

        _window.Append(delta);
        return DlpScanner.Guard(() => Advance(final: false, decided: null));
    }

    /// <summary>
    /// As <see cref="Append"/>, for a caller that keeps the text itself and writes it out on its own
    /// terms (<see cref="Gateway.ChoiceText"/>, which joins several channels): instead of text, the
    /// redactions now decided go into <paramref name="decided"/>, in offsets of the whole channel text.
    /// </summary>
    /// <returns>How far the channel's text is settled: nothing before it can still join a match. On a block, where the blocked value begins.</returns>
    /// <exception cref="DlpScanException">Out of time, over the hold-back limit, or an engine fault: end the stream.</exception>
    internal int Decide(string delta, List<StreamRedaction> decided)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (_completed)
        {
            throw new InvalidOperationException("The stream was already completed.");
        }

        if (!IsBlocked)
        {
            _window.Append(delta);
            DlpScanner.Guard(() => Advance(final: false, decided));
        }

        return _emitted;
    }

    /// <summary>As <see cref="Complete"/> for a <see cref="Decide"/> caller: settles the rest.</summary>
    /// <exception cref="DlpScanException">Out of time or an engine fault: end the stream.</exception>
    internal int DecideRest(List<StreamRedaction> decided)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The stream was already completed.");
        }

        _completed = true;
        if (!IsBlocked)
        {
            DlpScanner.Guard(() => Advance(final: true, decided));
        }

        return _emitted;
    }

    /// <summary>The settled text kept before <see cref="HeldText"/> as look-behind context (context words, boundaries).</summary>
    internal string SettledContext => _window.ToString(0, _emitted - _windowStart);

    /// <summary>
    /// Starts a fresh redactor with text that is already settled elsewhere, as look-behind context
    /// only: nothing of it is emitted or decided, and offsets go on from its end.
    /// </summary>
    internal void Prime(string context)
    {
        if (_windowStart != 0 || _window.Length != 0)
        {
            throw new InvalidOperationException("Only a fresh redactor can be primed.");
        }

        _window.Append(context);
        _emitted = context.Length;
    }

    /// <summary>The text received and not yet settled (it begins at <see cref="Settled"/>).</summary>
    internal string HeldText => _window.ToString(_emitted - _windowStart, HeldBack);

    /// <summary>How far the channel's text is settled (emitted, for an <see cref="Append"/> caller).</summary>
    internal int Settled => _emitted;

    /// <summary>Ends the stream and returns everything still held back, redacted.</summary>
    /// <exception cref="DlpScanException">Out of time or an engine fault: end the stream.</exception>
    public string Complete()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The stream was already completed.");
        }

        _completed = true;
        return IsBlocked ? string.Empty : DlpScanner.Guard(() => Advance(final: true, decided: null));
    }

    /// <param name="decided">Null: return the settled text, redacted. Else: add the redactions to it and return nothing.</param>
    private string Advance(bool final, List<StreamRedaction>? decided)
    {
        var text = _window.ToString();
        var from = _emitted - _windowStart;
        var budget = new ScanBudget(_options.TimeProvider, _options.Budget);
        var (candidates, pending) = WindowScanner.Scan(_set, text, from, final, budget);
        var clusters = ClusterResolver.Resolve(candidates, _set);

        var cut = Math.Max(from, pending);
        foreach (var cluster in clusters)
        {
            if (cluster.Start < cut && cluster.End > cut)
            {
                cut = cluster.Start;
                break;
            }
        }

        var blockAt = FindBlock(clusters, candidates, cut, out var blockFinding);
        var emitTo = blockAt >= 0 ? Math.Min(cut, blockAt) : cut;
        var output = string.Empty;
        if (decided is null)
        {
            var builder = new StringBuilder(emitTo - from + 32);
            TextRedactor.Append(builder, text, from, emitTo, clusters, _set);
            output = builder.ToString();
        }

        foreach (var cluster in clusters)
        {
            if (cluster.Start >= from && cluster.End <= emitTo)
            {
                _findings.Add(TextRedactor.ToFinding(cluster, _set, _windowStart));
                if (decided is not null && _set.Actions[cluster.Winner.Detector] >= DlpAction.Redact)
                {
                    decided.Add(new StreamRedaction(cluster.Start + _windowStart, cluster.End + _windowStart, _set.Markers[cluster.Winner.Detector]));
                }
            }
        }

        if (blockAt >= 0)
        {
            _findings.Add(blockFinding with { Start = blockFinding.Start + _windowStart });
            IsBlocked = true;
            _emitted = _windowStart + emitTo;
            _windowStart = _emitted;
            _window.Clear();
            return output;
        }

        _emitted = _windowStart + emitTo;
        Trim(text, emitTo);
        if (HeldBack > _options.MaxHoldBack)
        {
            throw new DlpScanException(DlpScanFailure.HoldBackExceeded, "The DLP stream redactor exceeded its hold-back limit.");
        }

        return output;
    }

    /// <summary>
    /// Where the first certain block begins (window offset), or -1: a settled cluster whose action is
    /// block, or a candidate that is certain on its own (a complete PEM header).
    /// </summary>
    private int FindBlock(List<Cluster> clusters, List<Candidate> candidates, int cut, out DlpFinding finding)
    {
        finding = default;
        var at = -1;
        foreach (var cluster in clusters)
        {
            if (cluster.End <= cut && _set.Actions[cluster.Winner.Detector] == DlpAction.Block)
            {
                at = cluster.Start;
                finding = TextRedactor.ToFinding(cluster, _set);
                break;
            }
        }

        foreach (var candidate in candidates)
        {
            if (candidate.Certain && _set.Actions[candidate.Detector] == DlpAction.Block && (at < 0 || candidate.Start < at))
            {
                // Emit nothing of the cluster the candidate belongs to.
                var start = clusters.First(c => c.Start <= candidate.Start && candidate.End <= c.End).Start;
                at = start;
                finding = new DlpFinding(_set.Detectors[candidate.Detector].Category, candidate.Start, candidate.End - candidate.Start, DlpAction.Block);
            }
        }

        return at;
    }

    /// <summary>Drops emitted text except the context the detectors may look back at.</summary>
    private void Trim(string text, int emitTo)
    {
        var keepFrom = emitTo;
        var counted = 0;
        while (keepFrom > 0 && counted < ContextChars && emitTo - keepFrom < MaxContextScan)
        {
            keepFrom--;
            var c = text[keepFrom];
            if (c < 128 || CharUnicodeInfo.GetUnicodeCategory(c) is not UnicodeCategory.Format and not UnicodeCategory.Surrogate)
            {
                counted++;
            }
        }

        if (keepFrom > 0 && char.IsLowSurrogate(text[keepFrom]))
        {
            keepFrom--;
        }

        _window.Remove(0, keepFrom);
        _windowStart += keepFrom;
    }
}
