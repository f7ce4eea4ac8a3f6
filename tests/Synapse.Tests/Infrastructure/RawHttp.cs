using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a plain socket, for what HttpClient refuses to send: broken chunked framing, a
/// body shorter than its Content-Length, a body that trickles. Each exchange uses its own
/// connection (<c>Connection: close</c>) from a chosen loopback source address, so tests can act
/// as distinct clients (any 127.0.0.0/8 address reaches a server on 127.0.0.1).
/// </summary>
public static class RawHttp
{
    public sealed record Response(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public string Text => Encoding.UTF8.GetString(Body);

        public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
    }

    /// <summary>The request head (request line and headers, ending with an empty line) for a POST.</summary>
    public static byte[] Head(string path, IEnumerable<(string Name, string Value)> headers)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        return Encoding.Latin1.GetBytes(head.Append("\r\n").ToString());
    }

    /// <summary>A chunked body in correct framing.</summary>
    public static byte[] Chunked(ReadOnlySpan<byte> body, int chunkSize)
    {
        using var framed = new MemoryStream();
        for (var offset = 0; offset < body.Length; offset += chunkSize)
        {
            var part = body.Slice(offset, Math.Min(chunkSize, body.Length - offset));
            framed.Write(Encoding.ASCII.GetBytes(part.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            framed.Write(part);
            framed.Write("\r\n"u8);
        }

        framed.Write("0\r\n\r\n"u8);
        return framed.ToArray();
    }

    public static Task<Response> SendAsync(Uri server, IPAddress source, byte[] request, TimeSpan timeout) =>
        SendAsync(server, source, async (stream, token) => await stream.WriteAsync(request, token), timeout);

    /// <summary>Connects from <paramref name="source"/>, lets <paramref name="write"/> send, and reads the whole response.</summary>
    public static async Task<Response> SendAsync(Uri server, IPAddress source, Func<Stream, CancellationToken, Task> write, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(source, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(server.Host), server.Port), cancel.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await write(stream, cancel.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before the client has finished sending.
        }

        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while (!IsComplete(received.GetBuffer().AsSpan(0, (int)received.Length)) && (read = await stream.ReadAsync(buffer, cancel.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the response (the server did not read the rest of the body) is not an error here.
        }

        return Parse(received.ToArray());
    }

    /// <summary>
    /// Whether a whole response has arrived: the server may keep the connection open after it (to
    /// drain a body it did not read), so the end of the stream cannot be what ends the response.
    /// </summary>
    private static bool IsComplete(ReadOnlySpan<byte> raw)
    {
        raw = SkipInterim(raw);
        var headEnd = raw.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0)
        {
            return false;
        }

        var head = Encoding.Latin1.GetString(raw[..headEnd]).ToLowerInvariant();
        var body = raw[(headEnd + 4)..];
        if (head.Contains("transfer-encoding: chunked", StringComparison.Ordinal))
        {
            return body.EndsWith("0\r\n\r\n"u8);
        }

        var length = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.Ordinal));
        return length is not null && body.Length >= int.Parse(length["content-length:".Length..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Skips interim responses (<c>100 Continue</c>) before the final one.</summary>
    private static ReadOnlySpan<byte> SkipInterim(ReadOnlySpan<byte> raw)
    {
        while (raw.StartsWith("HTTP/1.1 1"u8) && raw.IndexOf("\r\n\r\n"u8) is var end and >= 0)
        {
            raw = raw[(end + 4)..];
        }

        return raw;
    }

    private static Response Parse(byte[] received)
    {
        var raw = SkipInterim(received).ToArray();
        var text = Encoding.Latin1.GetString(raw);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0)
        {
            throw new InvalidDataException($"No HTTP response head in {raw.Length} bytes.");
        }

        var lines = text[..headEnd].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var body = raw.AsSpan(headEnd + 4);
        return new Response(status, headers, headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase) ? Unchunk(body) : body.ToArray());
    }

    private static byte[] Unchunk(ReadOnlySpan<byte> body)
    {
        using var content = new MemoryStream();
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return content.ToArray();
            }

            var size = int.Parse(Encoding.ASCII.GetString(body[..lineEnd]).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return content.ToArray();
            }

            content.Write(body.Slice(lineEnd + 2, size));
            body = body[(lineEnd + 2 + size + 2)..];
        }
    }
}
