using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Synapse.Gateway.Security;
using Synapse.Keys;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>Made-up keys are counted per address into one audit row and throttled per address; valid keys are never held up.</summary>
[Trait("Category", "Slow")]
[Collection(EdgeGatewayCollection.Name)]
public sealed class FailedAuthenticationTests(EdgeGatewayFixture fixture)
{
    private static readonly object ChatBody = new { model = EdgeGatewayFixture.Model, messages = new[] { new { role = "user", content = "hello" } } };

    [Fact]
    public async Task FailuresFromOneAddress_AreOneAuditRowWithACount_AndNeverTheKey()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var source = LoopbackSource.Next();
        var guesses = Enumerable.Range(0, 3).Select(_ => ApiKeySecrets.Generate()).ToList();
        var statuses = new List<HttpStatusCode>();
        foreach (var guess in guesses)
        {
            using var client = LoopbackSource.Client(fixture.Gateway.BaseAddress, source, guess);
            statuses.Add((await client.PostAsJsonAsync("/v1/chat/completions", ChatBody)).StatusCode);
        }

        using (var garbage = LoopbackSource.Client(fixture.Gateway.BaseAddress, source, "not-a-key"))
        {
            statuses.Add((await garbage.GetAsync("/v1/models")).StatusCode);
        }

        using (var anonymous = LoopbackSource.Client(fixture.Gateway.BaseAddress, source))
        {
            statuses.Add((await anonymous.PostAsJsonAsync("/v1/embeddings", new { model = "x", input = "y" })).StatusCode);
        }

        await fixture.FlushFailuresAsync();

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        var row = Assert.Single(await fixture.AuditSinceAsync(since), r => r.ClientAddress == source.ToString());
        Assert.Equal("invalid_key", row.Outcome);
        Assert.Equal(5, row.Count);
        Assert.Equal(401, row.HttpStatus);
        Assert.Null(row.KeyId);
        var detail = JsonNode.Parse(row.Detail!)!;
        Assert.Equal(3, detail["unknown"]!.GetValue<int>());
        Assert.Equal(1, detail["malformed"]!.GetValue<int>());
        Assert.Equal(1, detail["missing"]!.GetValue<int>());
        var everything = string.Join('\n', (await fixture.AuditSinceAsync(since)).Select(r => r.ToString()));
        Assert.All(guesses, g => Assert.DoesNotContain(g, everything, StringComparison.Ordinal));
        Assert.All(guesses, g => Assert.DoesNotContain(ApiKeySecrets.Hash(g), everything, StringComparison.Ordinal));
        Assert.All(guesses, g => Assert.DoesNotContain(g[..20], string.Join('\n', CapturedLogs.Lines), StringComparison.Ordinal));
    }

    [Fact]
    public async Task PastTheLimit_FailuresGet429WithRetryAfter_AndAValidKeyFromTheSameAddressStillWorks()
    {
        var (_, secret) = await fixture.CreateKeyAsync();
        var source = LoopbackSource.Next();
        using var guesser = LoopbackSource.Client(fixture.Gateway.BaseAddress, source, ApiKeySecrets.Generate());
        using var owner = LoopbackSource.Client(fixture.Gateway.BaseAddress, source, secret);
        using var neighbour = LoopbackSource.Client(fixture.Gateway.BaseAddress, LoopbackSource.Next(), ApiKeySecrets.Generate());

        for (var i = 0; i < EdgeGatewayFixture.FailureLimit; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.PostAsJsonAsync("/v1/chat/completions", ChatBody)).StatusCode);
        }

        var throttled = await guesser.PostAsJsonAsync("/v1/chat/completions", ChatBody);
        var allowed = await owner.PostAsJsonAsync("/v1/chat/completions", ChatBody);
        var other = await neighbour.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var error = (await throttled.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("too_many_failed_authentications", error["code"]!.GetValue<string>());
        Assert.Equal("requests", error["type"]!.GetValue<string>());
        Assert.InRange(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task ThrottledFailures_AreCountedInTheSameRow()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var source = LoopbackSource.Next();
        using var guesser = LoopbackSource.Client(fixture.Gateway.BaseAddress, source, "Bearer-less-garbage");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < EdgeGatewayFixture.FailureLimit + 3; i++)
        {
            statuses.Add((await guesser.GetAsync("/v1/models")).StatusCode);
        }

        await fixture.FlushFailuresAsync();

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var row = Assert.Single(await fixture.AuditSinceAsync(since), r => r.ClientAddress == source.ToString());
        Assert.Equal(EdgeGatewayFixture.FailureLimit + 3, row.Count);
        Assert.Equal(3, JsonNode.Parse(row.Detail!)!["throttled"]!.GetValue<int>());
    }

    [Fact]
    public void Tally_CountsAddressesBeyondItsCapTogether()
    {
        var tally = new FailedAuthenticationTally(Options.Create(new KeyAuthenticationOptions { MaxTrackedAddresses = 2 }), TimeProvider.System);

        foreach (var source in new[] { "a", "b", "c", "d", "a" })
        {
            tally.Count(tally.Admit(source), FailureReason.Unknown, throttled: false);
        }

        var window = tally.Drain();
        Assert.Equal(2, window.Counts["a"].Total);
        Assert.Equal(1, window.Counts["b"].Total);
        Assert.Equal(2, window.Counts[FailedAuthenticationTally.OtherSources].Total);
        Assert.Empty(tally.Drain().Counts);
    }

    [Fact]
    public void Tally_KeepsAWindowThatCouldNotBeWritten()
    {
        var tally = new FailedAuthenticationTally(Options.Create(new KeyAuthenticationOptions()), TimeProvider.System);
        tally.Count(tally.Admit("a"), FailureReason.Missing, throttled: false);
        var unwritten = tally.Drain();
        tally.Count(tally.Admit("a"), FailureReason.Unknown, throttled: true);

        tally.Restore(unwritten);

        var counts = tally.Drain().Counts["a"];
        Assert.Equal((1, 1, 1, 2), (counts.Missing, counts.Unknown, counts.Throttled, counts.Total));
    }

    [Theory]
    [InlineData("FailureLimit", "-1")]
    [InlineData("FailureWindowSeconds", "0")]
    [InlineData("AuditWindowSeconds", "0")]
    [InlineData("MaxTrackedAddresses", "0")]
    [InlineData("CacheEntries", "0")]
    public async Task AnInvalidSetting_StopsTheGatewayAtStart_NamingIt(string setting, string value)
    {
        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => GatewayHost.StartAsync(new Dictionary<string, string?> { [$"Synapse:KeyAuthentication:{setting}"] = value }));

        Assert.Contains($"Synapse:KeyAuthentication:{setting}", error.Message, StringComparison.Ordinal);
    }
}
