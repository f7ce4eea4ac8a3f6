using System.Globalization;
using Microsoft.Extensions.Hosting;
using Synapse.Audit;
using Synapse.Configuration;

namespace Synapse.Hosting;

/// <summary>
/// The all-in-one process's hold on its data directory: a lock file opened with
/// <see cref="FileShare.None"/> (an exclusive <c>flock</c> on Linux) for the process's lifetime.
/// Two all-in-one gateways on one SQLite database each keep their own revocations and rate-limit
/// windows in memory, so a key revoked on one keeps working on the other: the second start is
/// refused instead. The operating system drops the lock when the process ends, however it ends.
/// </summary>
/// <remarks>
/// A hosted service only so that the host owns it: the host disposes it, releasing the lock, after
/// every service has stopped (a gateway restarted in the same process takes the directory again).
/// A cluster (PostgreSQL) takes no lock: several silos and front ends legitimately share one.
/// </remarks>
public sealed class DataDirectoryLock : IHostedService, IDisposable
{
    /// <summary>The file held; empty.</summary>
    public const string FileName = "gateway.lock";

    /// <summary>
    /// The holder's process id, for the refusal's line. A file of its own: the lock file cannot be
    /// read while it is held (.NET takes a shared <c>flock</c> to read).
    /// </summary>
    public const string HolderFileName = "gateway.pid";

    // What .NET reports for a file another handle holds: Windows' ERROR_SHARING_VIOLATION, elsewhere
    // flock's EWOULDBLOCK as the raw errno (Linux 11, macOS and the BSDs 35).
    private const int SharingViolation = unchecked((int)0x80070020);
    private static readonly int WouldBlock = OperatingSystem.IsLinux() ? 11 : 35;

    private readonly FileStream _held;

    private DataDirectoryLock(FileStream held) => _held = held;

    /// <summary>
    /// Takes <paramref name="directory"/> (which exists) for this process, or throws
    /// <see cref="StartupConfigurationException"/>: another process holds it, or the lock file
    /// cannot be written there.
    /// </summary>
    public static DataDirectoryLock Acquire(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        FileStream held;
        try
        {
            held = new FileStream(Path.Combine(directory, FileName), Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e.HResult == (OperatingSystem.IsWindows() ? SharingViolation : WouldBlock))
        {
            var holder = Holder(directory) is { } pid ? $" (process {pid})" : string.Empty;
            throw new StartupConfigurationException(
                $"{DataDirectory.ConfigurationKey} '{directory}' is in use by another all-in-one gateway{holder}: two on one database would each keep their own revocations and rate limits. Stop that one, or give this one its own data directory.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw DataDirectory.Unusable(directory, e);
        }

        try
        {
            using var holderFile = new StreamWriter(Path.Combine(directory, HolderFileName), Options(FileMode.Create, FileAccess.Write, FileShare.Read));
            holderFile.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            held.Dispose();
            throw DataDirectory.Unusable(directory, e);
        }

        return new DataDirectoryLock(held);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Releases the directory. The holder file is left: it is only read while the lock is held, after its holder wrote it.</summary>
    public void Dispose() => _held.Dispose();

    private static int? Holder(string directory)
    {
        try
        {
            return int.TryParse(File.ReadAllText(Path.Combine(directory, HolderFileName)), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not written yet (the holder is starting), or unreadable: the line goes without it.
            return null;
        }
    }

    private static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFiles.FilePermissions;
        }

        return options;
    }
}
