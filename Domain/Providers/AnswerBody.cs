namespace Synapse.Providers;

/// <summary>
/// Reads a provider's whole (non-streamed) answer with a byte limit. A declared length over the
/// limit is refused before a byte is read; a body without one, or one that does not keep to it, is
/// counted as it arrives and given up as soon as it passes the limit, so no more than the limit is
/// ever held. (<c>ReadAsByteArrayAsync</c> has no limit: a 256 MB answer took 1.9 GB.)
/// </summary>
internal static class AnswerBody
{
    /// <summary>What is allocated first for a body of unknown length; it doubles from there.</summary>
    private const int InitialBytes = 64 * 1024;

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[declared is { } length ? (int)length : Math.Min(InitialBytes, maxBytes)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                // Full: either the body has ended, or there is a byte more than the buffer holds
                // (a body without a length, or one longer than it said: HttpClient stops at a
                // declared length, so the second is only a safeguard).
                var next = new byte[1];
                if (await stream.ReadAsync(next, cancellationToken).ConfigureAwait(false) == 0)
                {
                    return buffer;
                }

                if (total == maxBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min(Math.Max(2L * buffer.Length, InitialBytes), maxBytes));
                buffer[total++] = next[0];
                continue;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return total == buffer.Length ? buffer : buffer[..total];
            }

            total += read;
        }
    }
}
