using System.Net.ServerSentEvents;

namespace Synapse.Providers;

/// <summary>
/// Reads a provider's <c>text/event-stream</c> with the BCL's <see cref="SseParser"/> (WHATWG line
/// endings, comments, joined <c>data:</c> lines; an event cut off by the end of the stream is not
/// dispatched) and hands each event on in the shape the adapters translate. Two adjustments: the
/// parser names an event without an <c>event:</c> field <c>message</c>, which is reported as no
/// name (null), as the stream said; and one event's data may hold at most
/// <paramref name="maxEventBytes"/> (16 MiB unless the caller asks for less), past which the
/// stream is malformed (<see cref="EventTooLargeException"/>). The limit is counted on the bytes
/// as they arrive (<see cref="EventSizeLimitStream"/>), so a line or an event that never ends
/// fails once it passes it instead of growing the parser's buffers without bound.
/// </summary>
/// <remarks>
/// The parser keeps the name of an event that carried no data for the next event (the standard
/// clears it); no adapter reads the name — each translates by the JSON <c>type</c> inside the data,
/// which Anthropic's and Gemini's streams always carry — so that difference changes nothing.
/// </remarks>
internal sealed class ServerSentEventReader(Stream stream, int maxEventBytes = ServerSentEventReader.MaxEventBytes) : IAsyncDisposable
{
    public const int MaxEventBytes = 16 * 1024 * 1024;

    /// <summary>
    /// What an event may hold besides its data, in its raw bytes: <c>data:</c> prefixes, line
    /// endings, an <c>event:</c> or <c>id:</c> line, comments. The data itself is held to the
    /// exact limit when the event is dispatched.
    /// </summary>
    private const int FieldAllowance = 64 * 1024;

    private readonly SseParser<ServerSentEvent> _parser = SseParser.Create(new EventSizeLimitStream(stream, (long)maxEventBytes + FieldAllowance), (eventType, data) => Parse(eventType, data, maxEventBytes));
    private IAsyncEnumerator<SseItem<ServerSentEvent>>? _events;

    /// <summary>
    /// The next event, or null at the end of the stream. The token of the first read stands for the
    /// whole stream (the parser takes one token for its enumeration).
    /// </summary>
    public async ValueTask<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        _events ??= _parser.EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        return await _events.MoveNextAsync().ConfigureAwait(false) ? _events.Current.Data : null;
    }

    public ValueTask DisposeAsync() => _events?.DisposeAsync() ?? ValueTask.CompletedTask;

    // The span is the parser's buffer, reused for the next event, so the data is copied out.
    private static ServerSentEvent Parse(string eventType, ReadOnlySpan<byte> data, int maxEventBytes) =>
        data.Length > maxEventBytes
            ? throw new EventTooLargeException()
            : new ServerSentEvent(eventType == SseParser.EventTypeDefault ? null : eventType, data.ToArray());
}
