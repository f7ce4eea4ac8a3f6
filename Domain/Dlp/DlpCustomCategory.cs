
namespace Synapse.Dlp;

/// <summary>
/// An admin-defined category: a name (<c>[a-z][a-z0-9_]{0,39}</c>, not a built-in), a .NET regular
/// expression run with <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>, and
/// its action. <paramref name="MaxLength"/> is the longest text one match can span (1–1024); a
/// <see cref="StreamingRedactor"/> holds back that many characters so a match split across chunks
/// is still caught.
/// </summary>
public sealed record DlpCustomCategory(string Name, string Pattern, DlpAction Action, int MaxLength = 64);
