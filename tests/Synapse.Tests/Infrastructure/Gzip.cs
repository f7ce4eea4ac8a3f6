using System.IO.Compression;

namespace Synapse.Tests.Infrastructure;

/// <summary>A body as a client that compresses its requests sends it.</summary>
public static class Gzip
{
    public static byte[] Compress(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }
}
