using Synapse.Audit;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Security;

/// <summary>
/// Seals, once, the admin accounts an earlier release wrote without a seal, at the first all-in-one
/// start of this release, and then leaves <see cref="MarkerFileName"/> in the audit key directory.
/// Those rows are believed only because this start is the upgrade, before anyone but the owner had
/// a reason to forge them; the marker lives in the key directory, which a writer of the database or
/// the data directory cannot reach, so after it exists an unsealed row stays broken for good (an
/// attacker who clears a seal cannot have the row sealed again). A fresh install leaves the marker
/// at its first start. Only an all-in-one runs it: a cluster's front ends never change the database
/// (and may start before a silo added the seal column), so there an admin resets each account
/// (docs/operations.md); so too an all-in-one on PostgreSQL whose keys come from the settings with
/// no key directory to keep the marker in.
/// Runs after the co-hosted silo started (it installed the seal columns) and before the server
/// listens: hosted services start in order, the web server last.
/// </summary>
internal sealed partial class AccountSealUpgrade(AdminAccountStore store, string? markerDirectory, ILogger<AccountSealUpgrade> logger) : IHostedService
{
    /// <summary>Not the grain-state seal's marker: each upgrade records its own.</summary>
    public const string MarkerFileName = "accounts-sealed.v1";

    /// <summary>Where the marker goes: the audit key directory, unless the keys come from the settings of a PostgreSQL install that names none.</summary>
    public static string? MarkerDirectory(AuditOptions options, string dataDirectory, bool clustered)
    {
        ArgumentNullException.ThrowIfNull(options);
        return clustered && string.IsNullOrWhiteSpace(options.KeyDirectory) ? null : AuditKeyLoader.KeyDirectory(options, dataDirectory);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (markerDirectory is null)
        {
            Log.NoMarkerDirectory(logger);
            return;
        }

        var marker = Path.Combine(markerDirectory, MarkerFileName);
        if (File.Exists(marker))
        {
            return;
        }

        var count = await store.SealUnsealedAsync(cancellationToken).ConfigureAwait(false);
        OwnerOnlyFiles.CreateDirectory(markerDirectory);
        try
        {
            OwnerOnlyFiles.WriteNew(marker, "Admin accounts without a seal were sealed once, at the upgrade; from now on such a row grants nothing.\n");
        }
        catch (IOException) when (File.Exists(marker))
        {
            // Another process of this install wrote it first.
        }

        Log.Sealed(logger, count, marker);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Sealed {Count} admin accounts written by an earlier release; {Marker} records that this was done, and from now on an account row without a seal grants nothing")]
        public static partial void Sealed(ILogger logger, int count, string marker);

        [LoggerMessage(2, LogLevel.Information, "Admin accounts written before this release (without a seal) are not sealed here: with the audit keys in the settings and no Synapse:Audit:KeyDirectory there is nowhere outside the database to record the upgrade, so an admin resets such accounts with the admin token (docs/operations.md)")]
        public static partial void NoMarkerDirectory(ILogger logger);
    }
}
