using System.Net.Http.Json;
using System.Runtime.ExceptionServices;
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
    private const string StoppedActivityMessage = "Trying to set an Activity that is not running";
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
        var thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            // Only this test's requests: the handler sees every thread of the test process, and
            // the tests running beside it have requests of their own (traced by this listener too).
            if (e.Exception is InvalidOperationException { Message: StoppedActivityMessage } && trace.Holds(System.Diagnostics.Activity.Current))
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var i = 0; i < Requests; i++)
            {
                using var response = await client.PostAsJsonAsync("/v1/chat/completions", new { model = "llama3", messages = new[] { new { role = "user", content = "hello " + i } } });
                response.EnsureSuccessStatusCode();
            }

            // The path ran: every sequence was disposed (in the background, after its answer).
            await Eventually.HoldsAsync(() => trace.Stopped.Count(n => n == "IAsyncEnumerableGrainExtension/DisposeAsync") >= Requests, TimeSpan.FromSeconds(15));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, Volatile.Read(ref thrown));
    }
}
