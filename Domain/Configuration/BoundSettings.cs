namespace Synapse.Configuration;

/// <summary>
/// The settings classes this host binds and the section each is bound from, gathered while the host
/// is composed (<see cref="OptionsServiceCollectionExtensions.AddSynapseOptions{TOptions}"/>), for
/// the check that every key under <c>Synapse</c> is read by one of them.
/// </summary>
public sealed class BoundSettings
{
    private readonly List<(string Section, Type Type)> _bound = [];

    public void Add(string section, Type type)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        if (!_bound.Contains((section, type)))
        {
            _bound.Add((section, type));
        }
    }

    /// <summary>The classes bound from exactly <paramref name="path"/>.</summary>
    public IReadOnlyList<Type> At(string path) =>
        _bound.Where(b => string.Equals(b.Section, path, StringComparison.OrdinalIgnoreCase)).Select(b => b.Type).ToList();

    /// <summary>Whether some class is bound from <paramref name="path"/> or from a section below it.</summary>
    public bool AtOrBelow(string path) =>
        _bound.Any(b => string.Equals(b.Section, path, StringComparison.OrdinalIgnoreCase)
            || b.Section.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase));
}
