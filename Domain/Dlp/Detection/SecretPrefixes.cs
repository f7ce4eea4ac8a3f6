namespace Synapse.Dlp.Detection;

/// <summary>
/// The fixed text every secret format starts with: what the detectors search for, and what the
/// confusables fold (<see cref="Normalization.SecretPrefixFold"/>) restores to ASCII.
/// </summary>
internal static class SecretPrefixes
{
    /// <summary>base64url of <c>{"</c>: how a JWT's header and payload begin.</summary>
    public const string Jwt = "eyJ";

    /// <summary>The word after the five dashes of a PEM header, and of its footer.</summary>
    public const string PemBegin = "BEGIN ";

    public const string PemEnd = "END ";

    /// <summary>The longest PEM label (<c>ENCRYPTED PRIVATE KEY</c>, <c>PGP PRIVATE KEY BLOCK</c>, …) allowed.</summary>
    public const int MaxPemLabel = 64;

    /// <summary>Every provider-key prefix, plus the JWT one.</summary>
    public static IReadOnlyList<string> Tokens { get; } =
        [.. TokenFormats.All.SelectMany(f => f.Prefixes).Distinct(StringComparer.Ordinal), Jwt];
}
