using System.Reflection;
using System.Runtime.CompilerServices;

namespace Synapse.Tests.Hosting;

/// <summary>
/// Issue 12's floor plan, read from the compiled assemblies rather than the project files: the
/// domain library takes no Orleans dependency (not even through the contracts it reads, whose
/// Orleans package once flowed into it with its code generator and implicit usings), the front
/// end references no executable, and internals are opened to tests and benchmarks only.
/// </summary>
public sealed class AssemblyLayoutTests
{
    private static readonly string[] ProductAssemblies =
        ["Synapse.Grains.Interfaces", "Synapse.Domain", "Synapse.Grains", "Synapse.Persistence", "Synapse.Hosting", "Synapse.Silo", "Synapse.Gateway.Api"];

    [Fact]
    public void TheDomainLibrary_ReferencesNoOrleansAssembly()
    {
        var domain = Assembly.Load("Synapse.Domain");
        var references = domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Synapse.Grains.Interfaces", references);
        Assert.DoesNotContain(references, name => name.StartsWith("Orleans", StringComparison.Ordinal));
        Assert.DoesNotContain(domain.GetTypes(), t => t.Namespace?.StartsWith("OrleansCodeGen", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void TheFrontEnd_ReferencesNoExecutable()
    {
        var references = Assembly.Load("Synapse.Gateway.Api").GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Synapse.Hosting", references);
        Assert.DoesNotContain("Synapse.Silo", references);
    }

    [Fact]
    public void Internals_AreOpenedToTestsAndBenchmarksOnly()
    {
        var grants = ProductAssemblies
            .SelectMany(name => Assembly.Load(name).GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => (name, a.AssemblyName)))
            .ToList();

        Assert.Contains(grants, g => g.AssemblyName == "Synapse.Tests");
        Assert.All(grants, g => Assert.True(g.AssemblyName is "Synapse.Tests" or "Synapse.Benchmarks", $"{g.name} opens its internals to {g.AssemblyName}"));
    }
}
