using System.Text.RegularExpressions;

namespace Synapse.Dlp.Engine;

/// <summary>A validated custom category with its compiled regex.</summary>
internal sealed record CompiledCustomCategory(string Name, Regex Regex, DlpAction Action, int MaxLength);
