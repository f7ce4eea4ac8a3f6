using System.Diagnostics;
using Synapse.Dlp;
using Xunit;

namespace Synapse.Tests.Dlp;

public sealed class CustomCategoryTests
{
    [Fact]
    public void Scan_CustomCategory_IsFoundAndRedacted()
    {
        var policy = DlpPolicy.Create(customCategories: [new DlpCustomCategory("employee_id", @"\bEMP\d{5}\b", DlpAction.Redact)]);
        var result = TestScanners.Create(policy).Scan("owner EMP12345 and EMP99");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(new DlpFinding("employee_id", 6, 8, DlpAction.Redact), finding);
        Assert.Equal("owner [REDACTED:EMPLOYEE_ID] and EMP99", result.RedactedText);
    }

    [Theory]
    [InlineData("(unclosed", "customCategories[0].pattern", "not a valid regular expression")]
    [InlineData(@"(a)\1", "customCategories[0].pattern", "non-backtracking")]
    [InlineData("(?<=x)y", "customCategories[0].pattern", "non-backtracking")]
    [InlineData(@"(a)\1", "customCategories[0].pattern", "backreference")]
    [InlineData("(?<=x)y", "customCategories[0].pattern", "lookbehind")]
    [InlineData("a{1,100000}", "customCategories[0].pattern", "as large as")]
    [InlineData("[a-z]{1,5000}[0-9]{1,5000}", "customCategories[0].pattern", "as large as")]
    [InlineData("a*", "customCategories[0].pattern", "empty string")]
    [InlineData("", "customCategories[0].pattern", "empty")]
    public void Create_BadPattern_IsRefusedWithAClearError(string pattern, string field, string problem)
    {
        var ex = Assert.Throws<DlpPolicyException>(() => DlpPolicy.Create(customCategories: [new DlpCustomCategory("ok_name", pattern, DlpAction.Block)]));
        Assert.Equal(field, ex.Field);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad")]
    [InlineData("1abc")]
    [InlineData("email")]
    [InlineData("a_name_that_is_far_too_long_to_be_accepted_x")]
    public void Create_BadName_IsRefused(string name)
    {
        var ex = Assert.Throws<DlpPolicyException>(() => DlpPolicy.Create(customCategories: [new DlpCustomCategory(name, "x", DlpAction.Block)]));
        Assert.Equal("customCategories[0].name", ex.Field);
    }

    [Fact]
    public void Create_DuplicateName_IsRefused()
    {
        var ex = Assert.Throws<DlpPolicyException>(() => DlpPolicy.Create(customCategories:
            [new DlpCustomCategory("dup", "x", DlpAction.Block), new DlpCustomCategory("dup", "y", DlpAction.Block)]));
        Assert.Equal("customCategories[1].name", ex.Field);
    }

    [Theory]
    [InlineData("(a+)+$")]
    [InlineData("(a|aa)+b")]
    [InlineData("(x+x+)+y")]
    [InlineData("(.*a){12}")]
    public void Scan_CatastrophicPattern_StaysFast(string pattern)
    {
        var scanner = TestScanners.Create(DlpPolicy.Create(customCategories: [new DlpCustomCategory("evil", pattern, DlpAction.Redact)]));
        var text = new string('a', 64 * 1024) + "!" + new string('x', 64 * 1024);

        var watch = Stopwatch.StartNew();
        scanner.Scan(text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Stream_CustomCategorySplitAcrossChunks_IsCaught()
    {
        var scanner = TestScanners.Create(DlpPolicy.Create(customCategories: [new DlpCustomCategory("ticket", @"TKT-\d{8}", DlpAction.Redact, MaxLength: 12)]));
        var redactor = scanner.CreateStreamingRedactor();
        var output = redactor.Append("see TKT-1234") + redactor.Append("5678 today") + redactor.Complete();
        Assert.Equal("see [REDACTED:TICKET] today", output);
    }
}
