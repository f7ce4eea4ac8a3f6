namespace Synapse.Dlp.Gateway;

/// <summary>
/// One string of a bound request that prompt DLP reads: its text, how a redaction is written back,
/// and whether it belongs to the running text whose concatenation is scanned as well (message
/// text, tool arguments, tool definitions — not names, ids or URLs).
/// </summary>
internal readonly record struct PromptSlot(string Text, Action<string> Write, bool Joinable, bool IsPropertyName = false);
