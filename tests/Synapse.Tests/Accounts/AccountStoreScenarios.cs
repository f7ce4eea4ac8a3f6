using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Audit;
using Synapse.Persistence.Accounts;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Accounts;

/// <summary>The account store's seals on either engine: the schema upgrade, forged rows, forged sessions.</summary>
internal sealed class AccountStoreScenarios(SynapseDatabase database)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private readonly AccountSeals _seals = new(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)));

    private AdminAccountStore Store => new(database, _seals, NullLogger<AdminAccountStore>.Instance);

    public async Task TablesOfAnEarlierRelease_GetTheSealColumns_TheirAccountsAreBrokenUntilSealed_AndTheirSessionsAreDropped()
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        Assert.True(await Store.CreateAsync("old", "hash-of-old", AdminRoles.Auditor, Now, CancellationToken.None));
        await database.ExecuteAsync("ALTER TABLE admin_accounts DROP COLUMN seal");
        await database.ExecuteAsync("ALTER TABLE admin_sessions DROP COLUMN seal");
        await database.ExecuteAsync(string.Create(CultureInfo.InvariantCulture,
            $"INSERT INTO admin_sessions (id_hash, username, created_at, last_seen_at, expires_at) VALUES ('sha256-of-an-id', 'old', {Now.ToUnixTimeMilliseconds()}, {Now.ToUnixTimeMilliseconds()}, {Now.AddHours(8).ToUnixTimeMilliseconds()})"));

        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);

        Assert.True((await Store.FindAsync("old", CancellationToken.None))!.Broken);
        Assert.Equal(0L, Convert.ToInt64(await database.ScalarAsync("SELECT COUNT(*) FROM admin_sessions"), CultureInfo.InvariantCulture));
        Assert.Equal(1, await Store.SealUnsealedAsync(CancellationToken.None));
        var sealedAccount = (await Store.FindAsync("old", CancellationToken.None))!;
        Assert.False(sealedAccount.Broken);
        Assert.Equal(AdminRoles.Auditor, sealedAccount.Role);
        Assert.Equal(0, await Store.SealUnsealedAsync(CancellationToken.None));
    }

    public async Task EachAuthorityBearingFieldEditedBySql_BreaksTheAccount_AndTheLockDoesNot()
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        Assert.True(await Store.CreateAsync("keeper", "hash", AdminRoles.Admin, Now, CancellationToken.None)); // the last admin, so a disabling is allowed
        string[] edits =
        [
            "role = 'admin'",
            "password_hash = 'the-writer''s-hash'",
            "disabled = 0",
            "username = username || '-moved'",
        ];
        foreach (var (edit, i) in edits.Select((e, i) => (e, i)))
        {
            var name = "edited" + i.ToString(CultureInfo.InvariantCulture);
            Assert.True(await Store.CreateAsync(name, "hash", AdminRoles.Auditor, Now, CancellationToken.None));
            if (edit == "disabled = 0")
            {
                Assert.Equal(AccountChangeStatus.Changed, (await Store.ChangeAsync(name, a => a with { Disabled = true }, revokeSessions: true, Now, CancellationToken.None)).Status);
            }

            await database.ExecuteAsync($"UPDATE admin_accounts SET {edit} WHERE username = '{name}'");

            var found = (await Store.ListAsync(CancellationToken.None)).Single(a => a.Username.StartsWith(name, StringComparison.Ordinal));
            Assert.True(found.Broken, edit);
        }

        Assert.True(await Store.CreateAsync("locked", "hash", AdminRoles.Auditor, Now, CancellationToken.None));
        await Store.RecordFailedSignInAsync("locked", 1, Now.AddMinutes(15), CancellationToken.None);
        var locked = (await Store.FindAsync("locked", CancellationToken.None))!;
        Assert.False(locked.Broken);
        Assert.Equal(Now.AddMinutes(15), locked.LockedUntil);
    }

    public async Task ASessionIsFoundByItsId_AndNotOnceItsRowIsMovedExtendedOrItsAccountBroken()
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        foreach (var name in new[] { "alice", "bob" })
        {
            Assert.True(await Store.CreateAsync(name, "hash", AdminRoles.Auditor, Now, CancellationToken.None));
        }

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            ids.Add(id);
            await Store.CreateSessionAsync(new AdminSession(_seals.SessionIdHash(id), "alice", Now, Now, Now.AddHours(8)), Now.AddHours(-1), CancellationToken.None);
        }

        var hashes = ids.Select(_seals.SessionIdHash).ToList();
        Assert.NotNull(await Store.FindSessionAsync(hashes[0], CancellationToken.None));

        await database.ExecuteAsync($"UPDATE admin_sessions SET username = 'bob' WHERE id_hash = '{hashes[1]}'");
        await database.ExecuteAsync($"UPDATE admin_sessions SET expires_at = expires_at + 86400000 WHERE id_hash = '{hashes[2]}'");

        Assert.Null(await Store.FindSessionAsync(hashes[1], CancellationToken.None));
        Assert.Null(await Store.FindSessionAsync(hashes[2], CancellationToken.None));
        Assert.NotNull(await Store.FindSessionAsync(hashes[3], CancellationToken.None));
        await database.ExecuteAsync("UPDATE admin_accounts SET role = 'admin' WHERE username = 'alice'");
        Assert.Null(await Store.FindSessionAsync(hashes[3], CancellationToken.None));
    }
}
