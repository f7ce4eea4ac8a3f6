using System.Text;
using Synapse.Grains.Providers;
using Synapse.Providers;
using Xunit;

namespace Synapse.Tests.Providers;

public sealed class ServerSentEventReaderTests
{
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

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(text, chunkSize: 1 << 20));
    }

    [Fact]
    public async Task Read_EventAtTheSizeLimit_IsDispatched()
    {
        var text = "data: " + new string('x', 16 * 1024 * 1024) + "\n\n";

        Assert.Equal(16 * 1024 * 1024, Assert.Single(await ReadAllAsync(text, chunkSize: 1 << 20)).Data.Length);
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

    private static async Task<List<(string? Event, string Data)>> ReadAllAsync(string text, int chunkSize)
    {
        await using var reader = new ServerSentEventReader(new TrickleStream(Encoding.UTF8.GetBytes(text), chunkSize));
        var events = new List<(string?, string)>();
        while (await reader.ReadAsync(CancellationToken.None) is { } evt)
        {
            events.Add((evt.EventType, Encoding.UTF8.GetString(evt.Data.Span)));
        }

        return events;
    }

    /// <summary>Returns at most a few bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] data, int chunkSize) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunkSize)], cancellationToken);
    }
}
