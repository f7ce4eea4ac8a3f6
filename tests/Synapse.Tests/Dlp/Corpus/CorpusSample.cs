namespace Synapse.Tests.Dlp.Corpus;

/// <summary>An expected match: its category and where it is in the sample text.</summary>
internal sealed record CorpusEntity(string Category, int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>
/// One labelled text; anything not listed in <see cref="Entities"/> must not be reported.
/// <see cref="IsPublic"/> marks a sample whose value is quoted from a public source (vendor
/// documentation, a standard's example, a public detector's test suite) named in <see cref="Source"/>.
/// </summary>
internal sealed record CorpusSample(string Source, string Text, IReadOnlyList<CorpusEntity> Entities, bool IsPublic = false);
