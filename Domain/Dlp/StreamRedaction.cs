namespace Synapse.Dlp;

/// <summary>
/// A redaction a <see cref="StreamingRedactor"/> has decided, in offsets of its whole channel text:
/// the characters from <see cref="Start"/> to <see cref="End"/> give way to <see cref="Marker"/>, or
/// to nothing where the marker is null (the rest of a value whose marker stands in another channel).
/// </summary>
internal readonly record struct StreamRedaction(int Start, int End, string? Marker);
