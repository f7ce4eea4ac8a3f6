using System.Collections.Frozen;

namespace Synapse.Dlp.Validation;

/// <summary>
/// Key-shaped values that vendors and standards publish as examples: they are in documentation
/// and SDK sources everywhere, grant nothing, and pasting them must not block a request. Each has
/// the shape of a real key, so only this exact-value list keeps them out (values are split so that
/// no key-shaped literal sits in the source). An AWS access key id ending in <c>EXAMPLE</c> — the AWS
/// documentation's convention — is refused by the AWS rule itself.
/// </summary>
internal static class PublishedExamples
{
    private static readonly FrozenSet<string> Values = FrozenSet.Create(
        StringComparer.Ordinal,

        // AWS IAM user guide, "Managing access keys": the example access key id.
        "AKIA" + "IOSFODNN7EXAMPLE",

        // jwt.io's default token (HS256, secret "your-256-bit-secret"), shown on the site and in countless tutorials.
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ" + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",

        // RFC 7519 §3.1: the example JWT.
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9" + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ" + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",

        // Google API keys published as samples in the Firebase Android SDK sources and tests.
        "AIza" + "SyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs",
        "AIza" + "SyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM",
        "AIza" + "SyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU",
        "AIza" + "SyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0",
        "AIza" + "yDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A",
        "AIza" + "SyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c",
        "AIza" + "SyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4",
        "AIza" + "SyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY",
        "AIza" + "SyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM",
        "AIza" + "SyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ",
        "AIza" + "SyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g",
        "AIza" + "SyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU",
        "AIza" + "SyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw",
        "AIza" + "SyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE",
        "AIza" + "SyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Values.GetAlternateLookup<ReadOnlySpan<char>>();

    public static IReadOnlyCollection<string> All => Values;

    public static bool Contains(ReadOnlySpan<char> value) => Lookup.Contains(value);
}
