using Synapse.Gateway.Security;

namespace Synapse.Tests.Naming;

public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData(" Alice.Smith@example ", "alice.smith@example")]
    [InlineData("9lives", "9lives")]
    public void AcceptedUserNames_AreStoredInLowerCase(string given, string stored) =>
        Assert.Equal(stored, AccountRules.NormalizeUsername(given));

    // A name of dots is a dot segment in /accounts/{name}: no request could reach it to disable it.
    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".alice")]
    [InlineData("-alice")]
    [InlineData("@")]
    [InlineData("")]
    [InlineData("al ice")]
    public void UserNamesThatDoNotStartWithALetterOrDigit_OrHoldOtherCharacters_AreRefused(string given) =>
        Assert.Null(AccountRules.NormalizeUsername(given));
}
