using System.Net.Sockets;
using System.Text;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// Two HTTP/1.1 requests written on one connection before any answer is read, as a client does that
/// sends a whole body and then its next request: the status line of every answer that came back
/// before the server closed the connection (or the read timed out). A server that refuses the first
/// body and does not read it to the end closes or resets the connection: one status or none.
/// </summary>
internal static class PipelinedRequests
{
    public static async Task<IReadOnlyList<string>> StatusLinesAsync(Uri server, string firstHead, byte[] firstBody, string secondHead)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var received = new StringBuilder();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(firstHead));
            await stream.WriteAsync(firstBody);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(secondHead));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var buffer = new byte[16 * 1024];
            while (StatusLines(received).Count < 2 && await stream.ReadAsync(buffer, timeout.Token) is var read and > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Reset or closed with the body unread, or nothing more came: what arrived is the answer.
        }

        return StatusLines(received);
    }

    private static List<string> StatusLines(StringBuilder received) =>
        [.. received.ToString().Split("\r\n").Where(line => line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))];
}
