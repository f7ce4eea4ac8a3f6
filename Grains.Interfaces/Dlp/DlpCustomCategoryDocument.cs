namespace Synapse.Grains.Interfaces.Dlp;

/// <summary>An admin-defined category: a name, a regular expression and an action.</summary>
[GenerateSerializer, Immutable, Alias("synapse.DlpCustomCategoryDocument")]
public sealed record DlpCustomCategoryDocument(
    [property: Id(0)] string Name,
    [property: Id(1)] string Pattern,
    [property: Id(2)] string Action,
    [property: Id(3)] int MaxLength = 64);
