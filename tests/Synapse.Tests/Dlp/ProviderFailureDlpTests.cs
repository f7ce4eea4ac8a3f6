using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Tests.Dlp;

/// <summary>
/// A provider's identifier that holds a sensitive value is left out of the client's error whole,
/// where the message quotes it too — not shown half redacted (<c>bad_[REDACTED:CREDIT_CARD]</c>).
/// </summary>
public sealed class ProviderFailureDlpTests
{
    private static readonly DlpScanner Scanner = TestScanners.Create(DlpPolicy.Default);

    [Theory]
    [InlineData("The provider reported an error during the stream (bad_4111111111111111).", "The provider reported an error during the stream.")]
    [InlineData("The request to the model 'm' failed. The provider returned HTTP 503 (x4111111111111111_y).", "The request to the model 'm' failed. The provider returned HTTP 503.")]
    [InlineData("The provider returned HTTP 503 (server_error).", "The provider returned HTTP 503 (server_error).")]
    public void AQuotedIdentifier_WithAFinding_IsLeftOutWhole(string message, string expected)
    {
        var failure = new ProviderFailure("upstream_error", message) { ProviderCode = "bad_4111111111111111", Type = "server_error" };

        var shown = ProviderFailureDlp.Apply(failure, Scanner);

        Assert.Equal(expected, shown.Message);
        Assert.Null(shown.ProviderCode);
        Assert.Equal("server_error", shown.Type);
    }
}
