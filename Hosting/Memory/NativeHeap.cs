using System.Runtime.InteropServices;

namespace Synapse.Hosting.Memory;

/// <summary>
/// Gives the C library's free heap memory back to the system: glibc's <c>malloc_trim</c>, which
/// .NET has no API for. Native allocations (SQLite's page caches and statements, the JIT, the
/// runtime's own structures) come and go on several malloc arenas under load; glibc returns
/// what is freed inside an arena only when asked, so a soak left 13 MB of free native heap in
/// the process (docs/benchmarks.md). Elsewhere than on glibc (musl, macOS, Windows) it does
/// nothing.
/// </summary>
internal static class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns free native heap memory to the system; true when some was returned.</summary>
    public static bool Trim()
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    // DllImport rather than LibraryImport: the generated form needs unsafe code in the project,
    // and a call with one blittable argument needs no marshalling either way.
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
