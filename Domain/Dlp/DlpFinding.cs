
namespace Synapse.Dlp;

/// <summary>
/// One resolved match: its category, where it is in the ORIGINAL text (UTF-16 offsets) and the
/// action taken. It never carries the matched text.
/// </summary>
public readonly record struct DlpFinding(string Category, int Start, int Length, DlpAction Action)
{
    public int End => Start + Length;
}
