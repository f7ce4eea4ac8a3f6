
namespace Synapse.Dlp.Detection;

/// <summary>The bounds every detector keeps to, so a stream can be scanned through a small window.</summary>
internal static class DetectionLimits
{
    /// <summary>
    /// How far before a match a detector may look: context words sit within
    /// <see cref="ContextWindow"/> characters, plus a few characters of boundary checks.
    /// </summary>
    public const int LookBehind = 48;

    /// <summary>How far before a number a context word (e.g. "SSN", "phone") counts.</summary>
    public const int ContextWindow = 40;

    /// <summary>Local part 64 + "@" + domain 255 (RFC 5321).</summary>
    public const int MaxEmail = 320;

    /// <summary>
    /// 8 KiB: servers commonly refuse request headers above that, so a longer bearer token is not
    /// usable; longer <c>eyJ…</c> runs are not reported as JWTs.
    /// </summary>
    public const int MaxJwt = 8192;

    /// <summary>
    /// 16 KiB covers an 8192-bit RSA key in PKCS#1 PEM (about 6.5 KB) with room to spare; the header
    /// alone is a match on its own, so an unterminated block is still blocked at once.
    /// </summary>
    public const int MaxPem = 16384;
}
