namespace Synapse.Hosting;

/// <summary>
/// <c>Synapse:DataDirectory</c>: where the all-in-one mode keeps its database and checkpoints
/// (<see cref="DataDirectory"/>), <c>data</c> under the working directory when unset.
/// </summary>
public sealed class DataDirectoryOptions
{
    public const string SectionName = "Synapse";

    public string? DataDirectory { get; set; }
}
