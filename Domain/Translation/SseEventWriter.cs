using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Synapse.Translation;

/// <summary>
/// Writes named server-sent events (<c>event: name</c>, <c>data: {json}</c>) into a buffer, as
/// Anthropic's and the Responses API's streams are framed. One JSON writer is reused per stream.
/// </summary>
public sealed class SseEventWriter(IBufferWriter<byte> output) : IDisposable
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    private readonly Utf8JsonWriter _json = new(output);

    /// <summary>Starts an event whose data the caller writes whole; <see cref="End"/> finishes it.</summary>
    public Utf8JsonWriter Begin(string name)
    {
        output.Write(EventPrefix);
        var span = output.GetSpan(name.Length * 3);
        var written = Encoding.UTF8.GetBytes(name, span);
        output.Advance(written);
        output.Write(DataPrefix);
        _json.Reset(output);
        return _json;
    }

    /// <summary>
    /// Starts an event whose data is an object naming its own type (<c>{"type":"name",…</c>), as
    /// both APIs' events are; <see cref="EndTyped"/> closes the object and the event.
    /// </summary>
    public Utf8JsonWriter BeginTyped(string name)
    {
        var writer = Begin(name);
        writer.WriteStartObject();
        writer.WriteString("type"u8, name);
        return writer;
    }

    public void EndTyped()
    {
        _json.WriteEndObject();
        End();
    }

    public void End()
    {
        _json.Flush();
        output.Write(EventEnd);
    }

    public void Dispose() => _json.Dispose();
}
