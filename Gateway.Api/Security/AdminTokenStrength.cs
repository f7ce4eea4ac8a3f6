namespace Synapse.Gateway.Security;

/// <summary>
/// What a configured admin token must be. Failed guesses never lock the token out (a lockout that
/// a wrong guess can trigger is a lever anyone can pull: behind a proxy every client shares one
/// address), so nothing but the token's own strength stops an online guesser: at least 32
/// characters, at least 8 of them different. That refuses a word or a short phrase repeated to
/// length; a random token passes — 32 hex digits (128 bits) have fewer than 8 different ones
/// about once in 30 million. The generated token is 48 hex digits.
/// </summary>
internal static class AdminTokenStrength
{
    public const int MinimumLength = 32;

    public const int MinimumDistinctCharacters = 8;

    /// <summary>The rule, after the key's name, as the start-up check prints it (never the token).</summary>
    public const string Rule = "must have at least 32 characters, at least 8 of them different (a random string: openssl rand -hex 32).";

    public static bool IsStrong(string token) =>
        token.Length >= MinimumLength && token.Distinct().Take(MinimumDistinctCharacters).Count() >= MinimumDistinctCharacters;
}
