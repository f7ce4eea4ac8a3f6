namespace Synapse.Grains.Interfaces.Dlp;

/// <summary>
/// The global DLP policy as stored and as the admin API shows it: the action of each built-in
/// category and the admin's custom categories. <see cref="Version"/> grows with every change.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.DlpPolicyDocument")]
public sealed record DlpPolicyDocument(
    [property: Id(0)] IReadOnlyDictionary<string, string> Actions,
    [property: Id(1)] IReadOnlyList<DlpCustomCategoryDocument> CustomCategories,
    [property: Id(2)] long Version);
