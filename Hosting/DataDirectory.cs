using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Configuration;

namespace Synapse.Hosting;

/// <summary>
/// Where the all-in-one mode keeps its database and checkpoints (not its audit keys: see
/// <c>Synapse:Audit:KeyDirectory</c>). Created owner-only (0700) when missing.
/// </summary>
public static class DataDirectory
{
    public const string ConfigurationKey = DataDirectoryOptions.SectionName + ":" + nameof(DataDirectoryOptions.DataDirectory);

    /// <summary>
    /// The directory, resolved and created while the process is composed: the SQLite database, and
    /// so the hosting mode, depend on it before any host exists. The one read of the setting. A
    /// path that cannot be a directory stops the start with one line naming it.
    /// </summary>
    public static string Resolve(IConfiguration configuration)
    {
        var path = Locate(configuration);
        try
        {
            OwnerOnlyFiles.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file at the path, a parent that is a file, a read-only file system: the setting names it.
            throw Unusable(path, e);
        }

        return path;
    }

    /// <summary>
    /// The directory's full path (a relative one is taken from the working directory), created
    /// by no one: for the audit tools, which examine a data directory and never make one.
    /// </summary>
    public static string Locate(IConfiguration configuration)
    {
        var configured = OptionsReader.Read<DataDirectoryOptions>(configuration, DataDirectoryOptions.SectionName).DataDirectory;
        return Path.GetFullPath(configured is { Length: > 0 } ? configured : "data");
    }

    /// <summary>The one line for a data directory this process cannot make or write, naming the setting.</summary>
    internal static StartupConfigurationException Unusable(string path, Exception e)
    {
        var why = File.Exists(path) ? "it is a file, not a directory" : e.Message.TrimEnd('.', ' ');
        return new StartupConfigurationException(
            $"{ConfigurationKey} '{path}' cannot be used: {why}. Give a directory this process can create, or one that exists and it can write.");
    }
}
