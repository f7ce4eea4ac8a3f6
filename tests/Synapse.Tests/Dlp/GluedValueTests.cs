using Synapse.Dlp;
using Xunit;

namespace Synapse.Tests.Dlp;

/// <summary>
/// A letter written against a value does not hide it: each category is anchored on the boundary
/// of its own character class (digits end where a non-digit starts), and where a letter could
/// belong to the value (an IBAN's country code, a NINO's prefix, an AWS key's prefix) the value's
/// checksum or shape decides. Found in one scan and in a stream whose leading letter arrived in an
/// earlier chunk.
/// </summary>
public sealed class GluedValueTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default.WithOverrides(new Dictionary<string, DlpAction>
    {
        [DlpCategories.CreditCard] = DlpAction.Redact,
        [DlpCategories.Secret] = DlpAction.Redact,
        [DlpCategories.UsSsn] = DlpAction.Redact,
        [DlpCategories.Iban] = DlpAction.Redact,
        [DlpCategories.UkNino] = DlpAction.Redact,
        [DlpCategories.Phone] = DlpAction.Redact,
    }));

    public static TheoryData<string, string, string> Glued() => new()
    {
        { "a4111 1111 1111 1111", "4111 1111 1111 1111", DlpCategories.CreditCard },
        { "4111111111111111a", "4111111111111111", DlpCategories.CreditCard },
        { "card:x4111-1111-1111-1111", "4111-1111-1111-1111", DlpCategories.CreditCard },
        { "ref4111111111111111end", "4111111111111111", DlpCategories.CreditCard },
        { "SSN x123-45-6789", "123-45-6789", DlpCategories.UsSsn },
        { "ssn 123-45-6789x", "123-45-6789", DlpCategories.UsSsn },
        { "IBAN xGB82WEST12345698765432", "GB82WEST12345698765432", DlpCategories.Iban },
        { "IBAN GB82WEST12345698765432x", "GB82WEST12345698765432", DlpCategories.Iban },
        { "NI xAB123456C", "AB123456C", DlpCategories.UkNino },
        { "call x+44 7700 900123", "+44 7700 900123", DlpCategories.Phone },
        { "call +44 7700 900123x", "+44 7700 900123", DlpCategories.Phone },
        { "key xAKIAZ3XQ7RTY5UVW2ABC", "AKIAZ3XQ7RTY5UVW2ABC", DlpCategories.Secret },
    };

    [Theory]
    [MemberData(nameof(Glued))]
    public void ValueGluedToALetter_IsFound_InOneScan(string text, string value, string category)
    {
        var result = Scanner.Scan(text);

        Assert.Contains(result.Findings, f => f.Category == category && text.Substring(f.Start, f.Length) == value);
        Assert.DoesNotContain(value, result.RedactedText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Glued))]
    public void ValueGluedToALetter_IsFound_InAStream_CutAnywhere(string text, string value, string category)
    {
        _ = category;
        var expected = Scanner.Scan(text).RedactedText;
        for (var cut = 1; cut < text.Length; cut++)
        {
            var redactor = Scanner.CreateStreamingRedactor();
            var output = redactor.Append(text[..cut]) + redactor.Append(text[cut..]) + redactor.Complete();

            Assert.Equal(expected, output);
            Assert.DoesNotContain(value, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("a1234 5678 9012 3456")]
    [InlineData("v4111111111111112")]
    [InlineData("xGB82WEST12345698765433")]
    [InlineData("build 20240115123456789a")]
    [InlineData("sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("sha256 a0b1c2d3e4f5a6b74111111111111111c8d9e0f1a2b3c4d5e6f7")]
    public void GluedDigitsThatFailTheChecks_OrLieInAHexDigest_AreNotFindings(string text)
    {
        Assert.Empty(Scanner.Scan(text).Findings);
    }
}
