namespace Synapse.Providers;

/// <summary>
/// A read-only view of a provider's <c>text/event-stream</c> that counts the bytes of the event
/// being read — everything since the last blank line, which ends an event — and fails the read
/// (<see cref="EventTooLargeException"/>) once they pass <paramref name="maxBytes"/>. The SSE
/// parser above it holds the current line and the event's data until the event ends, with no
/// bound of its own: a 256 MB <c>data:</c> line without a newline took 1 GB before the event's
/// size was checked, and a provider that never sent one grew memory until the call's time limit.
/// Counted here, what the parser holds stays within the limit.
/// </summary>
/// <remarks>
/// Line endings are the parser's (WHATWG): CR, LF or CRLF, so an event ends at <c>\n\n</c>,
/// <c>\r\r</c>, <c>\r\n\r\n</c> or any mix. Comment and field lines count too: an event's raw
/// size is a little more than its data, which the caller allows for.
/// </remarks>
internal sealed class EventSizeLimitStream(Stream inner, long maxBytes) : Stream
{
    private long _eventBytes;
    private bool _atLineStart = true;
    private bool _afterCarriageReturn;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Count(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Count(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            var length = end < 0 ? bytes.Length : end + 1;
            _eventBytes += length;
            if (_eventBytes > maxBytes)
            {
                throw new EventTooLargeException();
            }

            if (end != 0)
            {
                // Text on the line: the next line ending ends a line, not the event.
                _atLineStart = false;
                _afterCarriageReturn = false;
            }

            if (end >= 0)
            {
                LineEnding(bytes[end]);
            }

            bytes = bytes[length..];
        }
    }

    private void LineEnding(byte ending)
    {
        if (ending == (byte)'\n' && _afterCarriageReturn)
        {
            // The LF of a CRLF: the line ended at its CR.
            _afterCarriageReturn = false;
            return;
        }

        if (_atLineStart)
        {
            // A blank line: the parser dispatches the event and lets go of its data.
            _eventBytes = 0;
        }

        _atLineStart = true;
        _afterCarriageReturn = ending == (byte)'\r';
    }
}
