using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

/// <summary>
/// Proving a text is an oracle for guessing low-entropy prompts, so each admin identity may check
/// only so many texts per window (<c>Synapse:Admin:Proofs</c>, 20 per 10 minutes by default): past
/// that it gets 429 with <c>Retry-After</c> and a problem body, the refusal is audited, and another
/// identity keeps its own budget.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ConsoleGatewayCollection.Name)]
public sealed class AuditProofRateTests(ConsoleGatewayFixture fixture)
{
    private const int DefaultBudget = 20;

    [Fact]
    public async Task PastItsBudget_AnIdentitysProofsGet429_Audited_WhileAnotherIdentityStillProves()
    {
        using var guesser = await fixture.AccountAsync("auditor");
        using var colleague = await fixture.AccountAsync("auditor");
        var eventId = (await fixture.Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?limit=1"))!["items"]![0]!["eventId"]!.GetValue<string>();

        // Within the budget every guess is checked (the path the refusal is checked on ran).
        for (var i = 0; i < DefaultBudget; i++)
        {
            var checkedGuess = await guesser.SendAsync(HttpMethod.Post, "/admin/api/audit/prove", new { eventId, text = $"salary of X is {i}" });
            Assert.Equal(HttpStatusCode.OK, checkedGuess.StatusCode);
        }

        var refused = await guesser.SendAsync(HttpMethod.Post, "/admin/api/audit/prove", new { eventId, text = "salary of X is 99" });
        var other = await colleague.SendAsync(HttpMethod.Post, "/admin/api/audit/prove", new { eventId, text = "salary of X is 99" });

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("proof_rate_limited", problem["code"]!.GetValue<string>());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", problem["type"]!.GetValue<string>());
        Assert.DoesNotContain("salary", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        var rows = await Eventually.ValueAsync(
            async () => (await fixture.Gateway.Admin.GetFromJsonAsync<JsonObject>("/admin/api/audit?kind=admin&outcome=failed&limit=500"))!["items"]!.AsArray()
                .Where(r => r!["action"]?.GetValue<string>() == "audit.prove" && r["actor"]?.GetValue<string>() == guesser.Username).ToList(),
            found => found.Count > 0);
        Assert.Equal(429, Assert.Single(rows)!["httpStatus"]!.GetValue<int>());
        Assert.DoesNotContain("salary", rows[0]!.ToJsonString(), StringComparison.Ordinal);
    }
}
