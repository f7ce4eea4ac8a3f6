namespace Synapse.Grains.Interfaces.Keys;

/// <summary>What kind of data a key is approved to send, fixed when the key is created.</summary>
[GenerateSerializer, Alias("synapse.DataClassification")]
public enum DataClassification
{
    /// <summary>May only ever reach providers whose location is <c>on-prem</c>.</summary>
    Sensitive = 0,

    /// <summary>May reach on-prem and cloud providers.</summary>
    NonSensitive = 1,
}
