using Synapse.Dlp;
using Synapse.Dlp.Validation;
using Xunit;

namespace Synapse.Tests.Dlp;

public sealed class ValidatorTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    private static byte[] Digits(string s) => s.Select(c => (byte)(c - '0')).ToArray();

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("378282246310005", true)]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    public void Luhn_KnownNumbers(string number, bool valid) => Assert.Equal(valid, Luhn.IsValid(Digits(number)));

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("5555555555554444", true)]
    [InlineData("2223003122003222", true)]
    [InlineData("378282246310005", true)]
    [InlineData("37828224631000", false)]
    [InlineData("6011111111111117", true)]
    [InlineData("3530111333300000", true)]
    [InlineData("30569309025904", true)]
    [InlineData("7992739871300000", false)]
    [InlineData("1234567812345670", false)]
    public void CardIssuers_PrefixAndLength(string number, bool known) => Assert.Equal(known, CardIssuers.IsKnown(Digits(number)));

    [Fact]
    public void Scan_LuhnInvalidCard_IsNotAMatch() => Assert.Empty(Scanner.Scan("pay with 4111 1111 1111 1112 now").Findings);

    [Fact]
    public void Scan_UnknownIssuerLuhnValidNumber_IsNotAMatch() => Assert.Empty(Scanner.Scan("ref 7992739871300000").Findings);

    [Theory]
    [InlineData("GB29NWBK60161331926819", true)]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("NO9386011117947", true)]
    [InlineData("MT84MALT011000012345MTLCAST001S", true)]
    [InlineData("GB29NWBK60161331926818", false)]
    [InlineData("DE89370400440532013001", false)]
    public void Iban_Mod97(string iban, bool valid) => Assert.Equal(valid, IbanRules.HasValidChecksum(iban));

    [Theory]
    [InlineData('G', 'B', 22)]
    [InlineData('d', 'e', 22)]
    [InlineData('N', 'O', 15)]
    [InlineData('L', 'C', 32)]
    [InlineData('X', 'X', 0)]
    public void Iban_CountryLengths(char a, char b, int length) => Assert.Equal(length, IbanRules.LengthFor(a, b));

    [Fact]
    public void Scan_IbanWithWrongLengthForCountry_IsNotAMatch() => Assert.Empty(Scanner.Scan("IBAN GB29 NWBK 6016 1331 9268 1").Findings);

    [Theory]
    [InlineData(536, 90, 4399, true)]
    [InlineData(0, 12, 3456, false)]
    [InlineData(666, 12, 3456, false)]
    [InlineData(900, 12, 3456, false)]
    [InlineData(999, 12, 3456, false)]
    [InlineData(123, 0, 4567, false)]
    [InlineData(123, 45, 0, false)]
    [InlineData(78, 5, 1120, false)]
    public void Ssn_Ranges(int area, int group, int serial, bool valid) => Assert.Equal(valid, SsnRules.IsValid(area, group, serial));

    [Fact]
    public void Scan_BareNineDigitsWithoutContext_IsNotAnSsn() => Assert.Empty(Scanner.Scan("Order 536904399 shipped").Findings);

    [Fact]
    public void Scan_BareNineDigitsAfterSsn_IsAnSsn() => Assert.Equal(DlpCategories.UsSsn, Assert.Single(Scanner.Scan("SSN 536904399").Findings).Category);

    [Theory]
    [InlineData('A', 'B', true)]
    [InlineData('Z', 'R', true)]
    [InlineData('Q', 'Q', false)]
    [InlineData('D', 'A', false)]
    [InlineData('A', 'O', false)]
    [InlineData('B', 'G', false)]
    [InlineData('G', 'B', false)]
    [InlineData('N', 'K', false)]
    [InlineData('Z', 'Z', false)]
    public void Nino_Prefixes(char first, char second, bool valid) => Assert.Equal(valid, NinoRules.IsValidPrefix(first, second));

    [Theory]
    [InlineData("AB 12 34 56 C", true)]
    [InlineData("AB123456D", true)]
    [InlineData("AB123456E", false)]
    [InlineData("AB123456", false)]
    public void Scan_NinoSuffix(string nino, bool match) => Assert.Equal(match, Scanner.Scan($"ref {nino} ok").Findings.Count == 1);

    [Theory]
    [InlineData("+1 415 555 2671")]
    [InlineData("(415) 555-2671")]
    [InlineData("415.555.2671")]
    [InlineData("020 7946 0958")]
    [InlineData("+44 (0)20 7946 0958")]
    public void Scan_PhoneFormats_AreFound(string phone) => Assert.Equal(DlpCategories.Phone, Assert.Single(Scanner.Scan($"call {phone} now").Findings).Category);

    [Theory]
    [InlineData("2024-01-15")]
    [InlineData("10:30:45")]
    [InlineData("978-3-16-148410-0")]
    [InlineData("3+4=7")]
    public void Scan_PhoneLikeNonPhones_AreNotFound(string text) => Assert.Empty(Scanner.Scan($"at {text} ok").Findings);

    [Theory]
    [InlineData("192.168.0.1", true)]
    [InlineData("256.1.1.1", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("01.02.03.04", false)]
    [InlineData("2001:db8::1", true)]
    [InlineData("00:1A:2B:3C:4D:5E", false)]
    public void Scan_IpAddresses(string ip, bool match) => Assert.Equal(match, Scanner.Scan($"host {ip} up").Findings.Count == 1);

    [Fact]
    public void Scan_DottedQuadAfterVersion_IsNotAnIp() => Assert.Empty(Scanner.Scan("version 1.2.3.4").Findings);

    [Theory]
    [InlineData("a@example.com", true)]
    [InlineData("icon@2x.png", false)]
    [InlineData("user@localhost", false)]
    [InlineData("a@b.c@d.com", true)]
    [InlineData("x@jane.doe@example.com", true)]
    [InlineData("jane.doe@example.com@", true)]
    [InlineData("jane.doe@example.com.txt", true)]
    [InlineData("logo@3x.png", false)]
    public void Scan_Emails(string email, bool match) => Assert.Equal(match, Scanner.Scan($"to {email} now").Findings.Count == 1);
}
