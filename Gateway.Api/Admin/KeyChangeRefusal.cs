using System.Globalization;
using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The one answer to a change of a key that is over (<see cref="KeyEnds.EndOf"/>): 409 with a
/// problem that says whether it was revoked or expired, for every admin endpoint that changes a
/// key. Extending an approval is not a change of this kind: an expired key stays expired, and a
/// new key is issued instead, so the audit log never shows a key that served again after it ended.
/// </summary>
internal static class KeyChangeRefusal
{
    /// <summary>The refusal when <paramref name="info"/> is over at <paramref name="now"/>; null while it may change.</summary>
    public static IResult? For(KeyInfo info, DateTimeOffset now) => info.EndOf(now) is { } end ? Of(end, info) : null;

    /// <summary>The refusal for a key the grain found over (its clock decided, so the reason is read from what it returned).</summary>
    public static IResult Of(KeyEnd end, KeyInfo info) => end switch
    {
        KeyEnd.Revoked => Conflict("Key revoked", "key_revoked", "This key is revoked; a revoked key cannot be changed. Issue a new key."),
        _ => Conflict(
            "Key expired",
            "key_expired",
            $"This key expired at {info.Binding.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture) ?? "its end"}; an expired key cannot be changed. Issue a new key."),
    };

    private static IResult Conflict(string title, string code, string detail) => Results.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: title,
        detail: detail,
        extensions: new Dictionary<string, object?> { ["code"] = code });
}
