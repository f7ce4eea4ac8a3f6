using Synapse.Keys;

namespace Synapse.Tests.Keys;

/// <summary>
/// Which of a key's secrets a request presented: its own, the one its last rotation replaced (only
/// until the overlap ends — the end itself is past it), or none.
/// </summary>
public sealed class KeySecretCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Current = ApiKeySecrets.Hash("syn-current");
    private static readonly string Previous = ApiKeySecrets.Hash("syn-previous");
    private static readonly string Other = ApiKeySecrets.Hash("syn-other");

    [Fact]
    public void TheCurrentSecret_IsTaken_WithOrWithoutARotation()
    {
        Assert.Equal(PresentedSecret.Current, KeySecretCheck.Of(Current, Current, null, null, Now));
        Assert.Equal(PresentedSecret.Current, KeySecretCheck.Of(Current, Current, Previous, Now.AddHours(-1), Now));
    }

    [Fact]
    public void TheReplacedSecret_IsTakenUntilItsOverlapEnds_AndRetiredFromThatMomentOn()
    {
        Assert.Equal(PresentedSecret.Previous, KeySecretCheck.Of(Previous, Current, Previous, Now.AddTicks(1), Now));
        Assert.Equal(PresentedSecret.Retired, KeySecretCheck.Of(Previous, Current, Previous, Now, Now));
        Assert.Equal(PresentedSecret.Retired, KeySecretCheck.Of(Previous, Current, Previous, Now.AddHours(-1), Now));
    }

    [Fact]
    public void ASecretThatIsNeitherCurrentNorReplaced_IsUnknown()
    {
        Assert.Equal(PresentedSecret.Unknown, KeySecretCheck.Of(Other, Current, Previous, Now.AddHours(1), Now));
        Assert.Equal(PresentedSecret.Unknown, KeySecretCheck.Of(Other, Current, null, null, Now));
        Assert.Equal(PresentedSecret.Unknown, KeySecretCheck.Of(Other, null, null, null, Now));
    }
}
