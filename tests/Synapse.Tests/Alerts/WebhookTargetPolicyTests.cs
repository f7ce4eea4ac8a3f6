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
    [InlineData("http://168.63.129.16/machine")]
    [InlineData("http://192.0.0.170/")]
    [InlineData("http://0.0.0.0:8080/")]
    [InlineData("http://2852039166/latest")]
    [InlineData("http://0xa9.0xfe.0xa9.0xfe/latest")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/")]
    [InlineData("http://[::169.254.169.254]/")]
    [InlineData("http://[2002:a9fe:a9fe::1]/")]
    [InlineData("http://[fd20:ce::254]/computeMetadata/v1")]
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
    [InlineData("http://[64:ff9b::cb00:7107]/hook")]
    [InlineData("http://[2002:cb00:7107::1]/hook")]
    [InlineData("http://[fd12:3456::1]/hook")]
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
    [InlineData("168.63.129.16")]
    [InlineData("64:ff9b::168.63.129.16")]
    [InlineData("[64:ff9b::169.254.169.254]")]
    [InlineData("metadata.google.internal")]
    public async Task Connector_RefusesLiteralTargets(string host)
    {
        var connector = new WebhookConnector((_, _) => throw new InvalidOperationException("no DNS for literals"));

        await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => connector.ResolveAsync(host, CancellationToken.None));
    }

    /// <summary>Every IPv6 form that carries an IPv4 address is unwrapped before deciding (RFC 4291, 6052, 8215, 3056, 4380, 5214).</summary>
    [Theory]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:0:169.254.169.254")]
    [InlineData("::169.254.169.254")]
    [InlineData("::a9fe:a9fe")]
    [InlineData("64:ff9b::169.254.169.254")]
    [InlineData("64:ff9b::a83f:8110")]
    [InlineData("64:ff9b:1:a9fe:a9:fe00::")]
    [InlineData("64:ff9b:1:a9:fe:a9fe::")]
    [InlineData("64:ff9b:1::a9:fea9:fe00:0")]
    [InlineData("64:ff9b:1::a9fe:a9fe")]
    [InlineData("2002:a9fe:a9fe::")]
    [InlineData("2002:a83f:8110:1::1")]
    [InlineData("2001:0:a9fe:a9fe::ffff:ffff")]
    [InlineData("2001:0:cb00:7107::5601:5601")]
    [InlineData("2001:db8::5efe:169.254.169.254")]
    [InlineData("2001:db8::200:5efe:169.254.169.254")]
    [InlineData("64:ff9b::c000:aa")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::ffff:100.100.100.200")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fd00:ec2::23")]
    [InlineData("fe80::1%1")]
    [InlineData("::")]
    public void EveryEmbeddedForm_OfARefusedAddress_IsRefused(string literal)
    {
        Assert.True(WebhookTargetPolicy.IsRefused(IPAddress.Parse(literal)), literal);
    }

    [Theory]
    [InlineData("::1")]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.5")]
    [InlineData("192.168.1.20")]
    [InlineData("203.0.113.7")]
    [InlineData("::ffff:10.0.0.5")]
    [InlineData("64:ff9b::203.0.113.7")]
    [InlineData("2002:cb00:7107::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2606:4700::1111")]
    [InlineData("192.0.2.1")]
    [InlineData("168.63.129.17")]
    public void ReceiversOnLoopbackPrivateAndPublicAddresses_AreAllowed(string literal)
    {
        Assert.False(WebhookTargetPolicy.IsRefused(IPAddress.Parse(literal)), literal);
    }

    [Theory]
    [InlineData("::ffff:169.254.169.254", "169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe", "169.254.169.254")]
    [InlineData("2002:a9fe:a9fe::", "169.254.169.254")]
    [InlineData("2001:0:cb00:7107::5601:5601", "203.0.113.7")]
    [InlineData("2001:0:cb00:7107::5601:5601", "169.254.169.254")]
    [InlineData("2001:db8::200:5efe:10.1.2.3", "10.1.2.3")]
    public void EmbeddedIPv4_FindsTheCarriedAddress(string literal, string carried)
    {
        Assert.Contains(IPAddress.Parse(carried), EmbeddedIPv4.Of(IPAddress.Parse(literal)));
    }

    [Fact]
    public async Task Connector_RefusesANameThatResolvesToAnEmbeddedForm()
    {
        var connector = new WebhookConnector((_, _) => Task.FromResult(new[] { IPAddress.Parse("64:ff9b::a9fe:a9fe") }));

        await Assert.ThrowsAsync<WebhookTargetRefusedException>(() => connector.ResolveAsync("rebinding.test", CancellationToken.None));
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
