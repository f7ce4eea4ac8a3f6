using System.Runtime.InteropServices;
using Synapse.Hosting.Memory;

namespace Synapse.Tests.Hosting;

/// <summary>glibc's <c>malloc_trim</c>, which the suite's Linux hosts have (the gateway's image too).</summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void Trim_GivesTheSystemBackNativeMemoryThatWasFreedButKept()
    {
        // 48 MB in blocks small enough for the heap (not mmap), all freed but the last: glibc
        // keeps freed memory below a block still in use, so it stays in the process until trimmed.
        var blocks = new nint[3_000];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(16 * 1024);
            for (var page = 0; page < 16 * 1024; page += 4096)
            {
                Marshal.WriteByte(blocks[i], page, 1);
            }
        }

        for (var i = 0; i < blocks.Length - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        var kept = ResidentBytes();
        var trimmed = NativeHeap.Trim();
        var after = ResidentBytes();
        Marshal.FreeHGlobal(blocks[^1]);

        Assert.True(trimmed);
        Assert.True(kept - after > 24 * 1024 * 1024, $"resident {kept / 1024 / 1024} MB before the trim, {after / 1024 / 1024} MB after");
    }

    private static long ResidentBytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
