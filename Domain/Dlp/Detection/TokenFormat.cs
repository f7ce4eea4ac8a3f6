using System.Text;

namespace Synapse.Dlp.Detection;

/// <summary>Checks a key's body (the text after <paramref name="prefix"/>); appends why to <paramref name="why"/> when one is given.</summary>
internal delegate bool TokenBodyCheck(string prefix, ReadOnlySpan<char> body, StringBuilder? why);

/// <summary>
/// One provider's key format: its fixed prefixes, how long the body after the prefix may be (the
/// key ends where the token of <c>[A-Za-z0-9_-]</c> ends), and the check of the body's real shape
/// (alphabet, structure, checksum, randomness). <see cref="Source"/> names the documentation the
/// shape comes from.
/// </summary>
internal sealed class TokenFormat(string id, string name, string source, string[] prefixes, int minBody, int maxBody, TokenBodyCheck check)
{
    /// <summary>Stable rule id, e.g. <c>secret.github_classic</c>.</summary>
    public string Id { get; } = id;

    public string Name { get; } = name;

    public string Source { get; } = source;

    public IReadOnlyList<string> Prefixes { get; } = prefixes;

    public int MinBody { get; } = minBody;

    public int MaxBody { get; } = maxBody;

    public int MaxLength { get; } = prefixes.Max(p => p.Length) + maxBody;

    public bool Accepts(string prefix, ReadOnlySpan<char> body, StringBuilder? why = null) =>
        body.Length >= MinBody && body.Length <= MaxBody && check(prefix, body, why);
}
