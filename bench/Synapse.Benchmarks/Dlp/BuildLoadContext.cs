using System.Reflection;
using System.Runtime.Loader;

namespace Synapse.Benchmarks.Dlp;

/// <summary>
/// Loads one build's <c>Synapse.*</c> assemblies from its output folder, beside another build's in
/// the same process; everything else (the shared framework, packages) comes from this process.
/// </summary>
internal sealed class BuildLoadContext(string folder) : AssemblyLoadContext(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)))
{
    public Assembly LoadDomain() => LoadFromAssemblyPath(Path.Combine(folder, "Synapse.Domain.dll"));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(folder, assemblyName.Name + ".dll");
        return assemblyName.Name!.StartsWith("Synapse.", StringComparison.Ordinal) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
