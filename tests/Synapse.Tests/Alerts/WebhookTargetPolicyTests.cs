using System.Net;
using Synapse.Alerts;
using Synapse.Grains.Alerts;
using Synapse.Alerts.Delivery;

namespace Synapse.Tests.Alerts;

/// <summary>Link-local and metadata targets are refused when the settings are read and when connecting.</summary>
public sealed class WebhookTargetPolicyTests
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://169.254.10.20:8080/hook")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1")]
    [InlineData("http://METADATA.GOOGLE.INTERNAL./x")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fd00:ec2::254]/latest")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("/relative/hook")]
    public void Validation_RefusesLinkLocalMetadataAndNonHttpTargets(string url)
    {
        var options = new AlertOptions { Webhooks = { ["bad"] = new WebhookOptions { Url = url, Secret = "0123456789abcdef0123" } } };

        var error = Assert.Single(AlertOptionsValidator.Validate(options));

        Assert.StartsWith("Synapse:Alerts:Webhooks:bad:Url", error, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef0123", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://[::1]:9000/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("https://hooks.slack.com/services/T/B/X")]
    public void Validation_AllowsLoopbackPrivateAndPublicTargets(string url)
    {
        var options = new AlertOptions { Webhooks = { ["ok"] = new WebhookOptions { Url = url, Secret = "0123456789abcdef0123" } } };

        Assert.Empty(AlertOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validation_ReportsSecretFormatEventsAndCalendarProblems()
    {
        var options = new AlertOptions
        {
            BusinessHours = "8-18",
            BusinessDays = "Funday",
            TimeZone = "Mars/Olympus",
            Webhooks = { ["w"] = new WebhookOptions { Url = "http://127.0.0.1/", Secret = "short", Format = "xml", Events = ["nope"] } },
        };

        var errors = AlertOptionsValidator.Validate(options);

        Assert.Equal(6, errors.Count);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.1.1")]
    [InlineData("fe80::abcd")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("metadata.google.internal")]
    public async Task Connector_RefusesLiteralTargets(string host)
    {
        var connector = new WebhookConnector((_, _) => throw new InvalidOperationException("no DNS for literals"));

        await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => connector.ResolveAsync(host, CancellationToken.None));
    }

    [Fact]
    public async Task Connector_RefusesANameWhenAnyAnswerIsRefused()
    {
        var connector = new WebhookConnector((_, _) => Task.FromResult(new[] { IPAddress.Parse("203.0.113.7"), IPAddress.Parse("169.254.169.254") }));

        await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => connector.ResolveAsync("mixed.test", CancellationToken.None));
    }

    [Fact]
    public async Task Connector_AllowsLoopback()
    {
        var connector = new WebhookConnector();

        Assert.Contains(IPAddress.Loopback, await connector.ResolveAsync("127.0.0.1", CancellationToken.None));
    }
}
