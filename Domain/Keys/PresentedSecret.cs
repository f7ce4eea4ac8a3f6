namespace Synapse.Keys;

/// <summary>Which of a key's secrets a request presented (<see cref="KeySecretCheck"/>).</summary>
public enum PresentedSecret
{
    /// <summary>None of the key's: refused as an unknown key.</summary>
    Unknown = 0,

    /// <summary>The key's secret now.</summary>
    Current = 1,

    /// <summary>The secret the last rotation replaced, within its overlap: still taken.</summary>
    Previous = 2,

    /// <summary>
    /// The secret the last rotation replaced, after its overlap: refused exactly like an unknown key,
    /// but audited as a rotated secret so the operator can find the client that still sends it.
    /// </summary>
    Retired = 3,
}
