namespace Synapse.Dlp.Engine;

/// <summary>
/// One raw detector match, before overlaps are resolved. <paramref name="Certain"/> marks a match
/// that no later text can undo (a complete PEM private-key header), so a stream can block on it
/// before the rest of the match has arrived.
/// </summary>
internal readonly record struct Candidate(int Start, int End, int Detector, bool Certain = false) : IComparable<Candidate>
{
    /// <summary>The order overlaps are resolved in: by start, then the longer candidate first.</summary>
    public int CompareTo(Candidate other) => Start != other.Start ? Start.CompareTo(other.Start) : other.End.CompareTo(End);
}
