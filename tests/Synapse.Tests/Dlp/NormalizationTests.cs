using Synapse.Dlp;
using Synapse.Dlp.Normalization;
using Xunit;

namespace Synapse.Tests.Dlp;

public sealed class NormalizationTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction> { [DlpCategories.CreditCard] = DlpAction.Redact }));

    [Theory]
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("４１１１１１１１１１１１１１１１")]
    [InlineData("４１１１ １１１１ １１１１ １１１１")]
    [InlineData("4\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1\u200B1")]
    [InlineData("4111\u00A01111\u00A01111\u00A01111")]
    [InlineData("4111\u20131111\u20131111\u20131111")]
    [InlineData("4111\u00AD1111\uFEFF1111\u200D1111")]
    [InlineData("\U0001D7D2\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF\U0001D7CF")]
    [InlineData("٤١١١١١١١١١١١١١١١")]
    [InlineData("4\01\01\01\0 \01\01\01\01\0 \01\01\01\01\0 \01\01\01\01")]
    public void Scan_CardVariant_IsRedactedAtOriginalOffsets(string card)
    {
        var text = "pay «" + card + "» now";
        var result = Scanner.Scan(text);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DlpCategories.CreditCard, finding.Category);
        Assert.Equal(5, finding.Start);
        Assert.Equal(card.Length, finding.Length);
        Assert.Equal("pay «[REDACTED:CREDIT_CARD]» now", result.RedactedText);
    }

    [Fact]
    public void Scan_CodePointsNfkcExpandsMany_CostMemoryLikeTheText_AndFindingsStayInPlace()
    {
        // U+FDFA is 18 characters in NFKC: a prompt of them grew 18-fold (529 MB for 4 MB). Each now
        // stands as one character, and ⒇ ("(20)") and ﬃ ("ffi") keep their short normal forms.
        var text = new string('\uFDFA', 1_000_000) + " mail a@example.com, card ⒇ ﬃ";
        Scanner.Scan("warm-up \uFDFA a@example.com");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = Scanner.Scan(text);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var finding = Assert.Single(result.Findings);
        Assert.Equal((DlpCategories.Email, 1_000_006), (finding.Category, finding.Start));
        Assert.InRange(allocated, 1, 16L * text.Length);
    }

    [Fact]
    public void Scan_ZeroWidthOutsideTheMatch_StaysInPlace()
    {
        var result = Scanner.Scan("\u200Bmail a@example.com\u200B!");
        Assert.Equal("\u200Bmail [REDACTED:EMAIL]\u200B!", result.RedactedText);
    }

    [Fact]
    public void Scan_TextReadInTheWrongEncoding_IsReadThroughItsNuls()
    {
        // UTF-16 and UTF-32 text decoded as UTF-8 (a data URL that says nothing, or the wrong
        // charset) puts NULs between the letters; a model reads through them.
        var utf16 = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Unicode.GetBytes("mail jane.doe@example.com"));
        var utf32 = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF32.GetBytes("mail jane.doe@example.com"));

        Assert.Equal(DlpCategories.Email, Assert.Single(Scanner.Scan(utf16).Findings).Category);
        Assert.Equal(DlpCategories.Email, Assert.Single(Scanner.Scan(utf32).Findings).Category);
        Assert.DoesNotContain("j\0a\0n\0e", Scanner.Scan(utf16).RedactedText, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalizedView_PureAscii_IsTheOriginal()
    {
        using var view = NormalizedView.Create("plain ascii 123");
        Assert.True(view.IsIdentity);
        Assert.Equal("plain ascii 123", view.Text.ToString());
    }

    [Fact]
    public void NormalizedView_MapsEveryCharacterBack()
    {
        const string original = "a\u200Bｂ\uFB01c";
        using var view = NormalizedView.Create(original);

        Assert.Equal("abfic", view.Text.ToString());
        Assert.Equal(0, view.ToOriginalStart(0));
        Assert.Equal(2, view.ToOriginalStart(1));
        Assert.Equal(3, view.ToOriginalStart(2));
        Assert.Equal(3, view.ToOriginalStart(3));
        Assert.Equal(4, view.ToOriginalEnd(4));
        Assert.Equal(5, view.ToOriginalEnd(5));
    }

    [Fact]
    public void Scan_UnchangedText_ReturnsTheSameInstance()
    {
        const string text = "nothing to see, ip 10.0.0.1 only alerts";
        var result = Scanner.Scan(text);
        Assert.Same(text, result.RedactedText);
        Assert.Equal([DlpCategories.IpAddress], result.Verdict.AlertedCategories);
    }
}
