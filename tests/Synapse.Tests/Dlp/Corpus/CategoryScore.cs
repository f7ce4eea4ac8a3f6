namespace Synapse.Tests.Dlp.Corpus;

/// <summary>Match counts for one category, and the scores derived from them.</summary>
internal sealed class CategoryScore(string category)
{
    public string Category { get; } = category;

    public int TruePositives { get; set; }

    public int FalsePositives { get; set; }

    public int FalseNegatives { get; set; }

    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    /// <summary>F2 weighs recall above precision: a missed secret costs more than an extra redaction.</summary>
    public double F2 => Precision + Recall == 0 ? 0 : 5 * Precision * Recall / ((4 * Precision) + Recall);
}
