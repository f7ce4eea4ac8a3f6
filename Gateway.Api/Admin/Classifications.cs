using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

internal static class Classifications
{
    public const string Sensitive = "sensitive";
    public const string NonSensitive = "non_sensitive";

    public static string ToWire(DataClassification classification) =>
        classification == DataClassification.Sensitive ? Sensitive : NonSensitive;

    public static DataClassification? Parse(string? value) => value switch
    {
        Sensitive => DataClassification.Sensitive,
        NonSensitive => DataClassification.NonSensitive,
        _ => null,
    };
}
