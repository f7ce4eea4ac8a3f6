using System.Net.Http.Json;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Gateway;

/// <summary>
/// A served request throws nothing, not even an exception caught inside a library: each throw
/// costs microseconds and shows in <c>dotnet_exceptions_total</c>. The front end used to hand the
/// key grain's answer sequence to a background disposal that carried the HTTP request's trace
/// activity; Orleans' proxy restores the activity it found after its call, and by then the
/// request's had stopped — <c>System.Diagnostics</c> throws and catches on restoring a stopped
/// activity, once per request.
/// </summary>
[Trait("Category", "Slow")]
public sealed class RequestPathExceptionTests
{
    private const int Requests = 10;

    [Fact]
    public async Task NonStreamedRequests_ThrowNoStoppedActivityException_WhenTheirSequenceIsDisposed()
    {
        await using var upstream = await MockOpenAiUpstream.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(GatewayHost.Provider("local", upstream.BaseUrl, "on-prem", "llama3"));
        var (_, secret) = await gateway.CreateKeyAsync(["llama3"]);
        using var client = gateway.ClientFor(secret);

        // Traced as a deployment with tracing on is, in a trace of this test's own: the request's
        // activity, and Orleans' activities for its grain calls, the sequence's disposal included.
        using var trace = new RequestTrace();
        client.DefaultRequestHeaders.Add("traceparent", trace.TraceParent);

        // Only this test's requests: the tests running beside it have requests of their own
        // (traced by this listener too).
        using var thrown = new StoppedActivityExceptions(() => trace.Holds(System.Diagnostics.Activity.Current));
        for (var i = 0; i < Requests; i++)
        {
            using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "hello " + i } } });
            response.EnsureSuccessStatusCode();
        }

        // The path ran: every sequence was disposed (in the background, after its answer).
        await Eventually.HoldsAsync(() => trace.Stopped.Count(n => n == "IAsyncEnumerableGrainExtension/DisposeAsync") >= Requests, TimeSpan.FromSeconds(15));

        Assert.Equal(0, thrown.Thrown);
    }
}
