using Synapse.Dlp;
using Xunit;

namespace Synapse.Tests.Dlp;

public sealed class PolicyTests
{
    [Fact]
    public void Default_HasTheDocumentedActions()
    {
        var policy = DlpPolicy.Default;
        Assert.Equal(DlpAction.Block, policy.ActionFor(DlpCategories.Secret));
        Assert.Equal(DlpAction.Block, policy.ActionFor(DlpCategories.CreditCard));
        Assert.Equal(DlpAction.Block, policy.ActionFor(DlpCategories.UsSsn));
        Assert.Equal(DlpAction.Block, policy.ActionFor(DlpCategories.UkNino));
        Assert.Equal(DlpAction.Redact, policy.ActionFor(DlpCategories.Iban));
        Assert.Equal(DlpAction.Redact, policy.ActionFor(DlpCategories.Email));
        Assert.Equal(DlpAction.Redact, policy.ActionFor(DlpCategories.Phone));
        Assert.Equal(DlpAction.Alert, policy.ActionFor(DlpCategories.IpAddress));
    }

    [Fact]
    public void WithOverrides_MergesOnTopOfGlobalAndCustom()
    {
        var policy = DlpPolicy.Create(
            new Dictionary<string, DlpAction> { [DlpCategories.Email] = DlpAction.Alert, [DlpCategories.Phone] = DlpAction.Off },
            [new DlpCustomCategory("project_code", @"PRJ-\d{6}", DlpAction.Redact)]);
        var perKey = policy.WithOverrides(new Dictionary<string, DlpAction>
        {
            [DlpCategories.Email] = DlpAction.Block,
            ["project_code"] = DlpAction.Alert,
        });

        Assert.Equal(DlpAction.Alert, policy.ActionFor(DlpCategories.Email));
        Assert.Equal(DlpAction.Block, perKey.ActionFor(DlpCategories.Email));
        Assert.Equal(DlpAction.Off, perKey.ActionFor(DlpCategories.Phone));
        Assert.Equal(DlpAction.Alert, perKey.ActionFor("project_code"));
        Assert.Equal(DlpAction.Block, perKey.ActionFor(DlpCategories.Secret));
    }

    [Fact]
    public void Scan_OffCategory_IsNotReported()
    {
        var scanner = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction> { [DlpCategories.Email] = DlpAction.Off }));
        Assert.Empty(scanner.Scan("a@example.com").Findings);
    }

    [Fact]
    public void WithOverrides_UnknownCategory_IsRefused()
    {
        var ex = Assert.Throws<DlpPolicyException>(() => DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction> { ["nope"] = DlpAction.Block }));
        Assert.Equal("overrides.nope", ex.Field);
    }

    [Fact]
    public void Create_GlobalActionForUnknownCategory_IsRefused() =>
        Assert.Equal("globalActions.custom", Assert.Throws<DlpPolicyException>(() => DlpPolicy.Create(new Dictionary<string, DlpAction> { ["custom"] = DlpAction.Block })).Field);

    [Fact]
    public void Scan_OverlappingMatches_HigherPrecedenceNamesTheUnion()
    {
        // The custom match overlaps the end of the phone number: one finding covers both.
        var policy = DlpPolicy.Create(customCategories: [new DlpCustomCategory("extension", @"2671 x\d+", DlpAction.Redact)]);
        var result = TestScanners.Create(policy).Scan("call 415-555-2671 x12 now");

        Assert.Equal(new DlpFinding("extension", 5, 16, DlpAction.Redact), Assert.Single(result.Findings));
        Assert.Equal("call [REDACTED:EXTENSION] now", result.RedactedText);
    }

    [Fact]
    public void Scan_OverlappingMatches_BlockBeatsRedact()
    {
        var policy = DlpPolicy.Create(customCategories: [new DlpCustomCategory("extension", @"2671 x\d+", DlpAction.Alert)]);
        var scanner = TestScanners.Create(policy.WithOverrides(new Dictionary<string, DlpAction> { [DlpCategories.Phone] = DlpAction.Block }));
        var finding = Assert.Single(scanner.Scan("call 415-555-2671 x12 now").Findings);
        Assert.Equal(DlpCategories.Phone, finding.Category);
        Assert.Equal(16, finding.Length);
    }

    [Fact]
    public void ScanAll_ReturnsPerTextResultsAndOneVerdict()
    {
        var scanner = TestScanners.Create(DlpPolicy.Default);
        var result = scanner.ScanAll(["hello", "mail a@example.com", "card 4111 1111 1111 1111", "host 10.1.2.3"]);

        Assert.Equal(4, result.Results.Count);
        Assert.Equal(["hello", "mail [REDACTED:EMAIL]", "card [REDACTED:CREDIT_CARD]", "host 10.1.2.3"], result.RedactedTexts);
        Assert.True(result.IsBlocked);
        Assert.Equal([DlpCategories.CreditCard], result.Verdict.BlockedCategories);
        Assert.Equal([DlpCategories.Email], result.Verdict.RedactedCategories);
        Assert.Equal([DlpCategories.IpAddress], result.Verdict.AlertedCategories);
        Assert.Equal(5, result.Results[1].Findings[0].Start);
    }
}
