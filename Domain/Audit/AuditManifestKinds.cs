
namespace Synapse.Audit;

/// <summary>What a manifest record says about its partition.</summary>
public static class AuditManifestKinds
{
    /// <summary>The partition exists from here on; written before its first row is committed.</summary>
    public const string Open = "open";

    /// <summary>The partition had reached this head.</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>The partition ends at this head: no row may follow.</summary>
    public const string Close = "close";

    /// <summary>A first-release partition (unkeyed v1 rule), sealed at this head by an operator: no row may follow.</summary>
    public const string Legacy = "legacy";

    public static bool IsKnown(string kind) => kind is Open or Checkpoint or Close or Legacy;

    /// <summary>Whether the partition ends with this record.</summary>
    public static bool IsFinal(string kind) => kind is Close or Legacy;
}
