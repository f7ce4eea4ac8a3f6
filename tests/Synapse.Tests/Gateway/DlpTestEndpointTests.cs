using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Synapse.Tests.Gateway;

/// <summary>The try-it endpoint explains each finding: the rule that matched and why.</summary>
[Trait("Category", "Slow")]
public sealed class DlpTestEndpointTests(DlpGatewayFixture fixture) : IClassFixture<DlpGatewayFixture>
{
    [Fact]
    public async Task TestEndpoint_EachFinding_CarriesTheRuleAndTheReason_AndNotTheMatchedText()
    {
        var response = await fixture.Gateway.Admin.PostAsJsonAsync("/admin/api/dlp/test", new { text = "pay 4111.1111.1111.1111 and mail bob.smith@corp.example now" });
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var findings = body!["findings"]!.AsArray();
        Assert.Equal(2, findings.Count);
        var card = findings[0]!;
        Assert.Equal("credit_card", card["category"]!.GetValue<string>());
        Assert.Equal(4, card["start"]!.GetValue<int>());
        Assert.Equal(19, card["length"]!.GetValue<int>());
        Assert.Equal("block", card["action"]!.GetValue<string>());
        Assert.Equal("credit_card.luhn_issuer", card["rule"]!.GetValue<string>());
        Assert.StartsWith("Luhn valid, issuer Visa, 16 digits", card["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("email.address", findings[1]!["rule"]!.GetValue<string>());
        Assert.DoesNotContain("1111", body.ToJsonString().Replace(body["redactedText"]!.GetValue<string>(), string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("bob.smith", findings.ToJsonString(), StringComparison.Ordinal);
    }
}
