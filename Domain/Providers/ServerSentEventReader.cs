using System.Net.ServerSentEvents;

namespace Synapse.Providers;

/// <summary>
/// Reads a provider's <c>text/event-stream</c> with the BCL's <see cref="SseParser"/> (WHATWG line
/// endings, comments, joined <c>data:</c> lines; an event cut off by the end of the stream is not
/// dispatched) and hands each event on in the shape the adapters translate. Two adjustments: the
/// parser names an event without an <c>event:</c> field <c>message</c>, which is reported as no
/// name (null), as the stream said; and one event may hold at most 16 MiB, past which the stream
/// is malformed (<see cref="InvalidDataException"/>).
/// </summary>
/// <remarks>
/// The parser keeps the name of an event that carried no data for the next event (the standard
/// clears it); no adapter reads the name — each translates by the JSON <c>type</c> inside the data,
/// which Anthropic's and Gemini's streams always carry — so that difference changes nothing.
/// </remarks>
internal sealed class ServerSentEventReader(Stream stream) : IAsyncDisposable
{
    private const int MaxEventBytes = 16 * 1024 * 1024;

    private readonly SseParser<ServerSentEvent> _parser = SseParser.Create(stream, Parse);
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
    private static ServerSentEvent Parse(string eventType, ReadOnlySpan<byte> data) =>
        data.Length > MaxEventBytes
            ? throw new InvalidDataException("A server-sent event exceeded the size limit.")
            : new ServerSentEvent(eventType == SseParser.EventTypeDefault ? null : eventType, data.ToArray());
}
