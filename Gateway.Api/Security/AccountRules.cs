namespace Synapse.Gateway.Security;

/// <summary>What a user name and a password must be.</summary>
internal static class AccountRules
{
    public const int MinPasswordLength = 12;

    // PBKDF2 hashes whatever it is given; a cap keeps one request from costing seconds.
    public const int MaxPasswordLength = 1024;

    public const int MaxUsernameLength = 64;

    /// <summary>The stored form of a user name (trimmed, lower case), or null when it is not acceptable.</summary>
    public static string? NormalizeUsername(string? username)
    {
        var name = username?.Trim().ToLowerInvariant();
        // The first character is a letter or digit: a name of dots alone ('.', '..') is a dot
        // segment in /accounts/{name}, which clients and the server collapse — an account no
        // request could reach to disable.
        return name is { Length: > 0 and <= MaxUsernameLength } && char.IsAsciiLetterOrDigit(name[0])
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? name
            : null;
    }

    public const string UsernameRule = "1 to 64 characters: letters, digits and . _ - @, starting with a letter or digit (stored in lower case).";

    public const string ReservedUsernameRule = "'token' is reserved: the audit log names the admin token so.";

    /// <summary>
    /// The problem with a name for a new account, or null: not acceptable, or reserved —
    /// <c>token</c> is the actor the audit log gives the admin token, and an account of that name
    /// would make its actions indistinguishable from the token's.
    /// </summary>
    public static string? NewUsernameProblem(string? normalized) =>
        normalized is null ? UsernameRule
        : string.Equals(normalized, AdminSchemes.TokenActor, StringComparison.Ordinal) ? ReservedUsernameRule
        : null;

    public static string? PasswordProblem(string? password) => password switch
    {
        null => $"Required: at least {MinPasswordLength} characters.",
        { Length: < MinPasswordLength } => $"At least {MinPasswordLength} characters.",
        { Length: > MaxPasswordLength } => $"At most {MaxPasswordLength} characters.",
        _ when string.IsNullOrWhiteSpace(password) => "A password cannot be only spaces.",
        _ => null,
    };
}
