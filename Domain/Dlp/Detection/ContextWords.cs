using System.Buffers;

namespace Synapse.Dlp.Detection;

/// <summary>
/// Looks for a context word shortly before a number (case-insensitive). Used only where a bare form
/// is too ambiguous on its own: 9 bare digits are an SSN only after "SSN"/"social security", 10 bare
/// digits a phone only after "phone"/"tel"/…, a NINO without its suffix letter only after "national
/// insurance"/"NINO"; and a dotted quad is not an IP address right after "version"/"build"/….
/// </summary>
internal sealed class ContextWords(params string[] words)
{
    private readonly SearchValues<string> _words = SearchValues.Create(words, StringComparison.OrdinalIgnoreCase);

    public bool AnyBefore(ReadOnlySpan<char> text, int index, int window = DetectionLimits.ContextWindow)
    {
        var start = Math.Max(0, index - window);
        return text[start..index].ContainsAny(_words);
    }
}
