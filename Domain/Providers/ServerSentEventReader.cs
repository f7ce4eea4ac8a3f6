using System.Buffers;
using System.Text;

namespace Synapse.Providers;

/// <summary>
/// Reads <c>text/event-stream</c> as the WHATWG HTML standard defines it: lines end in CRLF, LF or
/// CR; <c>:</c> starts a comment; <c>data:</c> lines join with LF; a blank line dispatches; an
/// event cut off by the end of the stream is not dispatched. Shared by every provider adapter
/// (they all stream SSE); it lives with the OpenAI-format adapter because that is the wire format
/// the others are translated into.
/// </summary>
internal sealed class ServerSentEventReader(Stream stream) : IDisposable
{
    private const int MaxEventBytes = 16 * 1024 * 1024;

    private readonly Stream _stream = stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _skipLeadingLineFeed;
    private readonly ArrayBufferWriter<byte> _data = new(1024);
    private bool _hasData;
    private string? _eventType;

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async ValueTask<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (TryReadLine(out var line))
            {
                if (line.IsEmpty)
                {
                    if (_hasData)
                    {
                        var evt = new ServerSentEvent(_eventType, _data.WrittenMemory);
                        _hasData = false;
                        _eventType = null;
                        return evt;
                    }

                    _eventType = null;
                    continue;
                }

                ProcessLine(line);
            }

            if (_endOfStream)
            {
                return null;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ProcessLine(ReadOnlySpan<byte> line)
    {
        if (line[0] == (byte)':')
        {
            return;
        }

        var colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> field;
        ReadOnlySpan<byte> value;
        if (colon < 0)
        {
            field = line;
            value = default;
        }
        else
        {
            field = line[..colon];
            value = line[(colon + 1)..];
            if (!value.IsEmpty && value[0] == (byte)' ')
            {
                value = value[1..];
            }
        }

        if (field.SequenceEqual("data"u8))
        {
            if (!_hasData)
            {
                // The previous event's bytes were handed out as memory; only now is it safe to reuse.
                _data.ResetWrittenCount();
                _hasData = true;
            }
            else
            {
                _data.Write("\n"u8);
            }

            if (_data.WrittenCount + value.Length > MaxEventBytes)
            {
                throw new InvalidDataException("A server-sent event exceeded the size limit.");
            }

            _data.Write(value);
        }
        else if (field.SequenceEqual("event"u8))
        {
            _eventType = Encoding.UTF8.GetString(value);
        }

        // id and retry are irrelevant to a single request's stream.
    }

    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (_skipLeadingLineFeed && _start < _end)
        {
            if (_buffer[_start] == (byte)'\n')
            {
                _start++;
            }

            _skipLeadingLineFeed = false;
        }

        var available = _buffer.AsSpan(_start, _end - _start);
        var index = available.IndexOfAny((byte)'\r', (byte)'\n');
        if (index < 0)
        {
            if (_endOfStream && !available.IsEmpty)
            {
                // A last line without its terminator still counts as a line; the event it belongs
                // to is only dispatched by a following blank line, which never comes.
                line = available;
                _start = _end;
                return true;
            }

            line = default;
            return false;
        }

        line = available[..index];
        _start += index + 1;
        if (available[index] == (byte)'\r')
        {
            if (_start < _end)
            {
                if (_buffer[_start] == (byte)'\n')
                {
                    _start++;
                }
            }
            else
            {
                _skipLeadingLineFeed = true;
            }
        }

        return true;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxEventBytes)
            {
                throw new InvalidDataException("A server-sent event line exceeded the size limit.");
            }

            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfStream = true;
        }

        _end += read;
    }
}
