using Synapse.Naming;

namespace Synapse.Tests.Naming;

public sealed class DisplayNameTests
{
    [Theory]
    [InlineData("  HR  ", "HR")]
    [InlineData("Cafe\u0301", "Caf\u00e9")]
    [InlineData("Human\u3000Resources", "Human\u3000Resources")]
    [InlineData("Équipe 3", "Équipe 3")]
    public void APrintableName_IsTrimmedAndComposed(string text, string stored) =>
        Assert.Equal(stored, DisplayName.Normalize(text, 100));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("HR\u200B")]
    [InlineData("pay\u202Eroll")]
    [InlineData("a\tb")]
    [InlineData("a\u2028b")]
    [InlineData("\uE000x")]
    [InlineData("x\u0378")]
    public void ANameWithNothingOrCharactersThatDoNotPrint_IsRefused(string? text) =>
        Assert.Null(DisplayName.Normalize(text, 100));

    [Fact]
    public void ANameWithABrokenSurrogate_IsRefused_AndItsKeyStillComputes()
    {
        var broken = "x" + (char)0xD800;

        Assert.Null(DisplayName.Normalize(broken, 100));
        Assert.Equal("X\uFFFD", DisplayName.ComparisonKey(broken));
    }

    [Fact]
    public void ALongerNameThanAllowed_IsRefused()
    {
        Assert.NotNull(DisplayName.Normalize(new string('a', 10), 10));
        Assert.Null(DisplayName.Normalize(new string('a', 11), 10));
    }

    [Theory]
    [InlineData("HR", "hr")]
    [InlineData("HR", "\uFF28\uFF32")]
    [InlineData("Caf\u00e9", "Cafe\u0301")]
    [InlineData("Human Resources", "Human   Resources")]
    [InlineData("HR", "H\u200BR")]
    public void NamesThatReadAlike_HaveOneComparisonKey(string one, string other) =>
        Assert.Equal(DisplayName.ComparisonKey(one), DisplayName.ComparisonKey(other));

    [Theory]
    [InlineData("HR", "HR2")]
    [InlineData("Human Resources", "HumanResources")]
    public void NamesThatReadDifferently_HaveDifferentKeys(string one, string other) =>
        Assert.NotEqual(DisplayName.ComparisonKey(one), DisplayName.ComparisonKey(other));
}
