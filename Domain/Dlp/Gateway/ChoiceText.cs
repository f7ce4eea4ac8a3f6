using System.Text;

namespace Synapse.Dlp.Gateway;

/// <summary>
/// The text channels of one streamed choice — content, refusal, reasoning, each tool call's
/// arguments — each with a <see cref="StreamingRedactor"/> of its own, and, once a second channel
/// speaks, one more over all of them joined in the order their text arrived: a value begun in one
/// channel and finished in another (reasoning that ends "4111 1111", content that goes on
/// "1111 1111") is a value a reader puts together, and the channels alone never see it.
/// <para>
/// With two or more channels a channel's text goes out only once both redactors have settled it:
/// its own, and the joined one (which holds back the tail of whatever arrived last, so the head of
/// a channel waits while it could still finish a value the tail of another began). A value found
/// across channels is written as a split value is in a whole answer: its marker where it begins,
/// the rest removed from the channels it runs on into. Text another channel's arrival settles waits
/// for that channel's next delta, or its choice's finish.
/// </para>
/// <para>
/// A choice with one channel — the common stream, content only — pays for one redactor: the joined
/// one starts with the second channel, from the first channel's text still held back (what was
/// already sent was settled: no value could still run through it).
/// </para>
/// Not thread-safe: one stream, one caller.
/// </summary>
internal sealed class ChoiceText(DlpScanner scanner)
{
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly List<StreamRedaction> _decided = [];
    private StreamingRedactor? _joined;
    private int _joinedLength;

    /// <summary>True once a <c>block</c> value was found in a channel or across them: nothing more is released.</summary>
    public bool IsBlocked { get; private set; }

    /// <summary>
    /// Every finding: each channel's own, and the joined text's (a value inside one channel is
    /// found twice then; a verdict names categories, not counts, and a context word in one channel
    /// can make a value of another a finding only the joined text has).
    /// </summary>
    public IEnumerable<DlpFinding> Findings => _channels.Values.SelectMany(c => c.Own.Findings).Concat(_joined?.Findings ?? []);

    /// <summary>How many findings <see cref="Findings"/> holds, without building it.</summary>
    public int FindingCount
    {
        get
        {
            var count = _joined?.Findings.Count ?? 0;
            foreach (var channel in _channels.Values)
            {
                count += channel.Own.Findings.Count;
            }

            return count;
        }
    }

    /// <summary>A piece of text on its channel; returns that channel's text that may go out now.</summary>
    /// <exception cref="DlpScanException">The engine failed or held back too much: the caller ends the stream.</exception>
    public string Append(string name, string text)
    {
        if (!_channels.TryGetValue(name, out var channel))
        {
            _channels[name] = channel = new Channel(scanner.CreateStreamingRedactor());
            if (_channels.Count == 2)
            {
                Join();
            }
        }

        if (IsBlocked)
        {
            return string.Empty;
        }

        if (_joined is null)
        {
            var safe = channel.Own.Append(text);
            IsBlocked = channel.Own.IsBlocked;
            return safe;
        }

        if (text.Length > 0)
        {
            Receive(channel, text);
            Settle(text, final: false);
        }

        return channel.TakeReady();
    }

    /// <summary>At the choice's finish: each channel's text still held back, settled.</summary>
    /// <exception cref="DlpScanException">The engine failed: the caller ends the stream.</exception>
    public List<(string Channel, string Text)> Complete()
    {
        var rest = new List<(string, string)>();
        if (_joined is null)
        {
            foreach (var (name, channel) in _channels)
            {
                var text = IsBlocked ? string.Empty : channel.Own.Complete();
                IsBlocked |= channel.Own.IsBlocked;
                rest.Add((name, text));
            }

            return rest;
        }

        if (!IsBlocked)
        {
            Settle(piece: null, final: true);
        }

        foreach (var (name, channel) in _channels)
        {
            rest.Add((name, channel.TakeReady()));
        }

        return rest;
    }

    /// <summary>
    /// Starts the joined redactor from the one channel so far: its text not yet sent, after the
    /// sent text that redactor keeps as context (a context word there can make a value of the next
    /// channel a finding).
    /// </summary>
    private void Join()
    {
        _joined = scanner.CreateStreamingRedactor();
        var first = _channels.Values.First();
        var context = first.Own.SettledContext;
        _joined.Prime(context);
        _joinedLength = context.Length;
        first.Received = first.Released = first.Own.Settled;
        var held = first.Own.HeldText;
        if (held.Length > 0)
        {
            first.Held.Append(held);
            Record(first, held.Length);
            Settle(held, final: false);
        }
    }

    /// <summary>A piece of text into its channel's own redactor; the joined one gets it in <see cref="Settle"/>.</summary>
    private void Receive(Channel channel, string text)
    {
        channel.Held.Append(text);
        channel.Own.Decide(text, channel.Redactions);
        IsBlocked |= channel.Own.IsBlocked;
        Record(channel, text.Length);
    }

    /// <summary>Notes where a channel's newest text sits in the joined text.</summary>
    private void Record(Channel channel, int length)
    {
        var segments = channel.Segments;
        if (segments.Count > 0 && segments[^1] is var last && last.JoinedStart + last.Length == _joinedLength)
        {
            segments[^1] = last with { Length = last.Length + length };
        }
        else
        {
            segments.Add(new Segment(_joinedLength, channel.Received, length));
        }

        channel.Received += length;
        _joinedLength += length;
    }

    /// <summary>
    /// Gives the joined redactor the piece just recorded (or, at the finish, settles everything),
    /// writes what it decided into the channels, and releases in every channel what both its own
    /// redactor and the joined one have settled.
    /// </summary>
    private void Settle(string? piece, bool final)
    {
        _decided.Clear();
        var joinedSettled = final ? _joined!.DecideRest(_decided) : _joined!.Decide(piece!, _decided);
        foreach (var redaction in _decided)
        {
            Distribute(redaction);
        }

        IsBlocked |= _joined.IsBlocked;
        if (final)
        {
            foreach (var channel in _channels.Values.Where(c => !c.Own.IsBlocked))
            {
                channel.Own.DecideRest(channel.Redactions);
                IsBlocked |= channel.Own.IsBlocked;
            }
        }

        foreach (var channel in _channels.Values)
        {
            // On a block only what came before it goes out: the joined redactor's settled point is
            // then where the blocked value begins, and a channel's own block is its settled point.
            channel.Release(Math.Min(channel.Settled, channel.OffsetAt(joinedSettled)));
            channel.Forget(joinedSettled);
        }
    }

    /// <summary>Every recorded segment that ends after <paramref name="joinedOffset"/>, in joined order.</summary>
    private IEnumerable<(Channel Channel, Segment Segment)> SegmentsFrom(int joinedOffset) =>
        _channels.Values
            .SelectMany(c => c.Segments.Where(s => s.JoinedStart + s.Length > joinedOffset).Select(s => (Channel: c, Segment: s)))
            .OrderBy(s => s.Segment.JoinedStart);

    /// <summary>A joined redaction written into the channels it covers: the marker in the first, the rest removed.</summary>
    private void Distribute(StreamRedaction redaction)
    {
        var marker = redaction.Marker;
        foreach (var (channel, segment) in SegmentsFrom(redaction.Start))
        {
            if (segment.JoinedStart >= redaction.End)
            {
                break;
            }

            var from = Math.Max(redaction.Start, segment.JoinedStart) - segment.JoinedStart + segment.ChannelStart;
            var to = Math.Min(redaction.End, segment.JoinedStart + segment.Length) - segment.JoinedStart + segment.ChannelStart;
            channel.Redactions.Add(new StreamRedaction(from, to, marker));
            marker = null;
        }
    }

    /// <summary>Where a channel's text sits in the joined text: from <see cref="JoinedStart"/>, for <see cref="Length"/> characters of the channel from <see cref="ChannelStart"/>.</summary>
    private readonly record struct Segment(int JoinedStart, int ChannelStart, int Length);

    /// <summary>One channel: its own redactor, and (once joined) its text not yet released.</summary>
    private sealed class Channel(StreamingRedactor own)
    {
        private readonly StringBuilder _ready = new();

        public StreamingRedactor Own { get; } = own;

        /// <summary>The channel's text from <see cref="Released"/> on.</summary>
        public StringBuilder Held { get; } = new();

        public List<Segment> Segments { get; } = [];

        public List<StreamRedaction> Redactions { get; } = [];

        /// <summary>Offsets in the channel's whole text: everything before it has gone out (or waits in the ready text).</summary>
        public int Released { get; set; }

        /// <summary>How far the channel's own redactor has settled (on a block, where the blocked value begins).</summary>
        public int Settled => Own.Settled;

        public int Received { get; set; }

        /// <summary>The channel offset of the first character at or after a joined offset (the channel's end if none).</summary>
        public int OffsetAt(int joinedOffset)
        {
            foreach (var segment in Segments)
            {
                if (segment.JoinedStart + segment.Length <= joinedOffset)
                {
                    continue;
                }

                return segment.ChannelStart + Math.Max(0, joinedOffset - segment.JoinedStart);
            }

            return Received;
        }

        /// <summary>Moves the text up to <paramref name="limit"/> (or the start of a redaction it would cut) into the ready text.</summary>
        public void Release(int limit)
        {
            Redactions.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (var moved = true; moved;)
            {
                moved = false;
                foreach (var redaction in Redactions)
                {
                    if (redaction.Start < limit && redaction.End > limit)
                    {
                        limit = redaction.Start;
                        moved = true;
                    }
                }
            }

            if (limit <= Released)
            {
                return;
            }

            var position = Released;
            var coveredTo = Released;
            var marked = false;
            foreach (var redaction in Redactions)
            {
                if (redaction.End > limit)
                {
                    break;
                }

                if (redaction.Start >= coveredTo)
                {
                    // A new run of redacted text.
                    _ready.Append(Held, position - Released, redaction.Start - position);
                    marked = false;
                }

                if (redaction.Marker is not null && !marked)
                {
                    _ready.Append(redaction.Marker);
                    marked = true;
                }

                coveredTo = Math.Max(coveredTo, redaction.End);
                position = Math.Max(position, redaction.End);
            }

            _ready.Append(Held, position - Released, limit - position);
            Held.Remove(0, limit - Released);
            Released = limit;
            Redactions.RemoveAll(r => r.End <= limit);
        }

        /// <summary>Drops the segments wholly before the joined redactor's settled point: no later decision reaches them.</summary>
        public void Forget(int joinedSettled)
        {
            var done = 0;
            while (done < Segments.Count && Segments[done].JoinedStart + Segments[done].Length <= joinedSettled)
            {
                done++;
            }

            Segments.RemoveRange(0, done);
        }

        public string TakeReady()
        {
            if (_ready.Length == 0)
            {
                return string.Empty;
            }

            var text = _ready.ToString();
            _ready.Clear();
            return text;
        }
    }
}
