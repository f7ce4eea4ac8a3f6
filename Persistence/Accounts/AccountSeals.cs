using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Synapse.Audit;

namespace Synapse.Persistence.Accounts;

/// <summary>
/// The seals that make admin accounts and sessions unforgeable by whoever can write the database:
/// HMAC-SHA256 with keys derived from the audit signing key (<see cref="AuditKeys.DeriveSealKey"/>),
/// which the database never holds. An account's seal covers what grants or withholds access (name,
/// password hash, role, disabled); a session is stored as the HMAC of its id, not its SHA-256, so a
/// writer cannot make a row for an id of their choosing, and its seal binds that hash to the
/// account and the expiry, so a row cannot be moved to another account or kept alive longer.
/// Every input is framed (a label, then each field's length before its bytes), so no two different
/// rows can frame to the same bytes.
/// </summary>
public sealed class AccountSeals
{
    public const string AccountPurpose = "admin-account-v1";
    public const string SessionPurpose = "admin-session-v1";

    private readonly byte[] _accountKey;
    private readonly byte[] _sessionKey;

    public AccountSeals(AuditKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _accountKey = keys.DeriveSealKey(AccountPurpose);
        _sessionKey = keys.DeriveSealKey(SessionPurpose);
    }

    /// <summary>The seal of an account's authority-bearing fields, as stored in <c>admin_accounts.seal</c>.</summary>
    public string Seal(AdminAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Mac(_accountKey, "account", account.Username, account.PasswordHash, account.Role, account.Disabled ? "1" : "0");
    }

    /// <summary>Whether <paramref name="seal"/> is the account's seal, compared in constant time; a missing seal never holds.</summary>
    public bool Holds(AdminAccount account, string? seal) => seal is not null && SameText(Seal(account), seal);

    /// <summary>What is stored of a session id: its HMAC, which only a holder of the key can compute.</summary>
    public string SessionIdHash(string sessionId) => Mac(_sessionKey, "session-id", sessionId);

    /// <summary>The seal of a session row: its id hash bound to its account and its absolute expiry.</summary>
    public string Seal(AdminSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Mac(_sessionKey, "session-row", session.IdHash, session.Username, session.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
    }

    public bool Holds(AdminSession session, string? seal) => seal is not null && SameText(Seal(session), seal);

    public override string ToString() => nameof(AccountSeals);

    private static bool SameText(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.UTF8.GetBytes(presented));

    private static string Mac(byte[] key, string label, params string[] fields)
    {
        using var frame = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields.Prepend(label))
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            frame.Write(length);
            frame.Write(bytes);
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(key, frame.ToArray()));
    }
}
