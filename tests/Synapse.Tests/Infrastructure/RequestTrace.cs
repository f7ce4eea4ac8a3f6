using System.Collections.Concurrent;
using System.Diagnostics;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// The trace activities of requests a test sends with <see cref="TraceParent"/>: ASP.NET Core
/// continues that trace and Orleans' grain calls join it, so a test sees its own requests' grain
/// calls and none of the tests running beside it.
/// </summary>
internal sealed class RequestTrace : IDisposable
{
    private readonly ActivityTraceId _traceId = ActivityTraceId.CreateRandom();
    private readonly ActivityListener _listener;

    public RequestTrace()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Microsoft.Orleans.Application",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (activity.TraceId == _traceId)
                {
                    Started.Add(activity.OperationName);
                }
            },
            ActivityStopped = activity =>
            {
                if (activity.TraceId == _traceId)
                {
                    Stopped.Add(activity.OperationName);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Whether <paramref name="activity"/> belongs to this trace.</summary>
    public bool Holds(Activity? activity) => activity?.TraceId == _traceId;

    /// <summary>The W3C <c>traceparent</c> header that puts a request in this trace.</summary>
    public string TraceParent => $"00-{_traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

    /// <summary>Operation names of the activities started in this trace.</summary>
    public ConcurrentBag<string> Started { get; } = [];

    /// <summary>Operation names of the activities stopped in this trace.</summary>
    public ConcurrentBag<string> Stopped { get; } = [];

    public void Dispose() => _listener.Dispose();
}
