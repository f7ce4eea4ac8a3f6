namespace Synapse.Grains.Interfaces.Alerts;

/// <summary>What an <see cref="ActivitySignal"/> reports about one request.</summary>
[GenerateSerializer, Alias("synapse.ActivityKind")]
public enum ActivityKind
{
    /// <summary>An admitted request; <see cref="ActivitySignal.Tokens"/> is the admission-time estimate.</summary>
    Request = 0,

    /// <summary>A request refused by DLP (<c>block</c>); <see cref="ActivitySignal.Categories"/> names what was found.</summary>
    DlpBlock = 1,

    /// <summary>A DLP <c>alert</c> action fired on a request; <see cref="ActivitySignal.Categories"/> names what was found.</summary>
    DlpAlert = 2,

    /// <summary>A request finished; <see cref="ActivitySignal.Tokens"/> is its actual total (prompt + completion).</summary>
    TokensSettled = 3,

    /// <summary>A request refused because its key's approval had ended (<c>expiresAt</c>): someone still uses it.</summary>
    ExpiredKeyUse = 4,
}
