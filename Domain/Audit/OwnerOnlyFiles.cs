
namespace Synapse.Audit;

/// <summary>
/// Creates Synapse's data files (the SQLite database and its WAL and shared-memory files, audit
/// checkpoints, generated keys) readable and writable by their owner only: files 0600, directories
/// 0700. The mode is given as the file is created, so there is no moment when another local user
/// could open it; <see cref="Restrict"/> only tightens files an earlier release made. (SQLite gives
/// its -wal and -shm files the database file's mode, so creating the database file first is
/// enough.) On Windows the files inherit the directory's ACL.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode DirectoryPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the directory (and its missing parents) owner-only; an existing one is left as it is.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryPermissions);
        }
    }

    /// <summary>Opens <paramref name="path"/> for appending, creating it owner-only if it is missing.</summary>
    public static FileStream OpenAppend(string path) => new(path, Options(FileMode.Append, FileAccess.Write));

    /// <summary>Creates a new file owner-only and writes <paramref name="text"/>; fails if it exists.</summary>
    public static void WriteNew(string path, string text)
    {
        using var writer = new StreamWriter(path, Options(FileMode.CreateNew, FileAccess.Write));
        writer.Write(text);
    }

    /// <summary>Creates an empty file owner-only unless it exists.</summary>
    public static void EnsureFile(string path)
    {
        using var _ = new FileStream(path, Options(FileMode.OpenOrCreate, FileAccess.Write));
    }

    /// <summary>
    /// Takes group and other access away from a file Synapse made earlier (a release that created
    /// files with the default mode). Only for Synapse's own files.
    /// </summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            File.SetUnixFileMode(path, mode & ~GroupOrOther);
        }
    }

    private static FileStreamOptions Options(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FilePermissions;
        }

        return options;
    }
}
