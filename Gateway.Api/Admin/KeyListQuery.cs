using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The key list's query: <c>teamId</c>, <c>status</c> (<c>active</c> | <c>expired</c> |
/// <c>revoked</c>; a revoked key is revoked whether or not it had expired), <c>cursor</c>, <c>limit</c>.
/// </summary>
internal sealed record KeyListQuery(string? TeamId, string? Status, string? After, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    private const string CursorPrefix = "k1:";

    public bool Matches(KeyInfo key, DateTimeOffset now) => Status switch
    {
        "active" => key.RevokedAt is null && !key.Binding.ExpiredAt(now),
        "expired" => key.RevokedAt is null && key.Binding.ExpiredAt(now),
        "revoked" => key.RevokedAt is not null,
        _ => true,
    };

    public static string Cursor(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorPrefix + lastId));

    public static KeyListQuery Read(IQueryCollection query, Dictionary<string, string[]> errors)
    {
        var teamId = Single(query, "teamId");
        if (teamId is { Length: > 256 } || teamId?.Any(char.IsControl) == true)
        {
            errors["teamId"] = ["An id has at most 256 printable characters."];
        }

        var status = Single(query, "status");
        if (status is not (null or "active" or "expired" or "revoked"))
        {
            errors["status"] = ["'active', 'expired' or 'revoked'."];
        }

        string? after = null;
        if (Single(query, "cursor") is { } cursor)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
                after = text.StartsWith(CursorPrefix, StringComparison.Ordinal) ? text[CursorPrefix.Length..] : null;
            }
            catch (FormatException)
            {
            }

            if (after is null)
            {
                errors["cursor"] = ["This cursor is not valid; use the nextCursor of a previous page."];
            }
        }

        var limit = DefaultLimit;
        if (Single(query, "limit") is { } text2 && (!int.TryParse(text2, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"The limit must be a whole number from 1 to {MaxLimit}."];
        }

        return new KeyListQuery(teamId, status, after, limit);
    }

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && values[0] is { Length: > 0 } value ? value : null;
}
