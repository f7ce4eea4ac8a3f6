namespace Synapse.Tests.Dlp.Corpus;

/// <summary>
/// The whole evaluation corpus: samples quoted from public sources (vendor documentation, standards'
/// examples, public detector test suites — each cited), hand-written samples, and seeded generated
/// ones (formats, evasions and hard negatives).
/// </summary>
internal static class DlpCorpus
{
    public static IReadOnlyList<CorpusSample> Load(int seed = 20240601)
    {
        var values = new SyntheticValues(seed);
        var samples = new List<CorpusSample>();
        samples.AddRange(CorpusMarkup.ParseAll("public-cards", PublicCards.Text, values));
        samples.AddRange(CorpusMarkup.ParseAll("public-ibans", PublicIbans.Text, values));
        samples.AddRange(CorpusMarkup.ParseAll("public-secrets", PublicSecrets.Text, values));
        samples.AddRange(CorpusMarkup.ParseAll("public-contacts", PublicContacts.Text, values));
        samples.AddRange(CorpusMarkup.ParseAll("public-identifiers", PublicIdentifiers.Text, values));
        samples.AddRange(CorpusMarkup.ParseAll("handwritten", HandwrittenCorpus.Text, values));
        samples.AddRange(GeneratedCorpus.Create(values));
        samples.AddRange(EvasionCorpus.Create(values));
        return samples;
    }
}
