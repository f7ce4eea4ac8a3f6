using System.Text;
using Synapse.Grains.Providers;
using Synapse.Providers;
using Xunit;

namespace Synapse.Tests.Providers;

public sealed class ServerSentEventReaderTests
{
    private const int Limit = 1024 * 1024;
    private const int SmallLimit = 16 * 1024;

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task Read_AnyLineEnding_SplitsEvents(string newline)
    {
        var events = await ReadAllAsync($"event: a{newline}data: 1{newline}{newline}data: 2{newline}{newline}", chunkSize: 1);

        Assert.Equal([("a", "1"), (null, "2")], events);
    }

    [Fact]
    public async Task Read_MultiLineData_JoinsWithLineFeed()
    {
        var events = await ReadAllAsync("data: {\"a\":\ndata:1}\n\n", chunkSize: 3);

        Assert.Equal([((string?)null, "{\"a\":\n1}")], events);
    }

    [Fact]
    public async Task Read_CommentsAndUnknownFields_AreIgnored()
    {
        var events = await ReadAllAsync(": keep-alive\nid: 7\nretry: 10\nfoo: bar\ndata:x\n\n: bye\n\n", chunkSize: 4);

        Assert.Equal([((string?)null, "x")], events);
    }

    [Fact]
    public async Task Read_EventWithoutData_IsNotDispatched()
    {
        var events = await ReadAllAsync("event: ping\n\ndata: y\n\n", chunkSize: 64);

        // The BCL's parser keeps a data-less event's name for the next event (the standard clears
        // it); the data is what every adapter translates, and only one event is dispatched.
        Assert.Equal([("ping", "y")], events);
    }

    [Fact]
    public async Task Read_DefaultEventName_IsReportedAsNoName()
    {
        var events = await ReadAllAsync("data: a\n\nevent: message\ndata: b\n\nevent: message_start\ndata: c\n\n", chunkSize: 5);

        Assert.Equal([((string?)null, "a"), (null, "b"), ("message_start", "c")], events);
    }

    [Fact]
    public async Task Read_EventOverTheSizeLimit_IsMalformed()
    {
        var text = "data: " + new string('x', 16 * 1024 * 1024 + 1) + "\n\n";

        await Assert.ThrowsAsync<EventTooLargeException>(() => ReadAllAsync(text, chunkSize: 1 << 20));
    }

    [Fact]
    public async Task Read_EventAtTheSizeLimit_IsDispatched()
    {
        var text = "data: " + new string('x', 16 * 1024 * 1024) + "\n\n";

        Assert.Equal(16 * 1024 * 1024, Assert.Single(await ReadAllAsync(text, chunkSize: 1 << 20)).Data.Length);
    }

    [Theory]
    [InlineData("data: ")]
    [InlineData(": a comment ")]
    [InlineData("event: ")]
    public async Task Read_ALineThatNeverEnds_FailsOnceMoreThanTheLimitHasArrived(string field)
    {
        // 64 MiB of one line: the parser's line buffer grew to hold all of it (1 GB for 256 MB)
        // before the event's size was looked at, and at the end of the stream nothing was wrong.
        var source = new EndlessLine(Encoding.UTF8.GetBytes("data: {\"a\":1}\n\n" + field), 64L * 1024 * 1024);
        await using var reader = new ServerSentEventReader(source, Limit);

        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString((await reader.ReadAsync(CancellationToken.None))!.Value.Data.Span));
        await Assert.ThrowsAsync<EventTooLargeException>(async () => await reader.ReadAsync(CancellationToken.None));

        // Read no further than the limit, its allowance for field names, and a read or two of the parser.
        Assert.InRange(source.Handed, Limit, 4 * Limit);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task Read_DataLinesWithoutABlankLine_FailOnceTheEventPassesTheLimit(string newline)
    {
        // Each line is short; the event they make up never ends, and the parser holds its data.
        var line = "data: " + new string('y', 1000) + newline;
        var text = string.Concat(Enumerable.Repeat(line, (2 * Limit / line.Length) + 1));

        await Assert.ThrowsAsync<EventTooLargeException>(() => ReadAllAsync(text, chunkSize: 4096, Limit));
    }

    [Theory]
    [InlineData("\n", 1)]
    [InlineData("\r\n", 1)]
    [InlineData("\r", 1)]
    [InlineData("\r\n", 7)]
    [InlineData("\n", 8192)]
    public async Task Read_ManyEventsTogetherPastTheLimit_AreEachCountedOnTheirOwn(string newline, int chunkSize)
    {
        // Every blank line ends an event and its count, in any line ending, split anywhere.
        var one = $": keep-alive{newline}{newline}event: e{newline}data: {new string('z', 3000)}{newline}data: 2{newline}{newline}";
        var count = (4 * SmallLimit / one.Length) + 1;

        var events = await ReadAllAsync(string.Concat(Enumerable.Repeat(one, count)), chunkSize, SmallLimit);

        Assert.Equal(count, events.Count);
        Assert.All(events, e => Assert.Equal(new string('z', 3000) + "\n2", e.Data));
    }

    [Fact]
    public async Task Read_EventAtAGivenLimit_IsDispatched_AndOneByteMoreIsNot()
    {
        var at = await ReadAllAsync("data: " + new string('x', SmallLimit) + "\n\n", chunkSize: 1000, SmallLimit);
        Assert.Equal(SmallLimit, Assert.Single(at).Data.Length);

        await Assert.ThrowsAsync<EventTooLargeException>(() => ReadAllAsync("data: " + new string('x', SmallLimit + 1) + "\n\n", chunkSize: 1000, SmallLimit));
    }

    [Fact]
    public async Task Read_UnterminatedLastEvent_IsNotDispatched()
    {
        var events = await ReadAllAsync("data: whole\n\ndata: cut", chunkSize: 64);

        Assert.Equal([((string?)null, "whole")], events);
    }

    [Fact]
    public async Task Read_LargeEvent_GrowsTheBuffer()
    {
        var big = new string('x', 100_000);

        var events = await ReadAllAsync($"data: {big}\r\n\r\n", chunkSize: 8192);

        Assert.Equal(big, Assert.Single(events).Data);
    }

    private static async Task<List<(string? Event, string Data)>> ReadAllAsync(string text, int chunkSize, int maxEventBytes = ServerSentEventReader.MaxEventBytes)
    {
        await using var reader = new ServerSentEventReader(new TrickleStream(Encoding.UTF8.GetBytes(text), chunkSize), maxEventBytes);
        var events = new List<(string?, string)>();
        while (await reader.ReadAsync(CancellationToken.None) is { } evt)
        {
            events.Add((evt.EventType, Encoding.UTF8.GetString(evt.Data.Span)));
        }

        return events;
    }

    /// <summary>
    /// <paramref name="head"/>, then <paramref name="length"/> bytes of <c>x</c> made up as they are
    /// read (no buffer of that size exists); counts what it has handed out.
    /// </summary>
    private sealed class EndlessLine(byte[] head, long length) : Stream
    {
        private long _position;

        public long Handed => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, head.Length + length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[i] = at < head.Length ? head[at] : (byte)'x';
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Returns at most a few bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] data, int chunkSize) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunkSize)], cancellationToken);
    }
}
