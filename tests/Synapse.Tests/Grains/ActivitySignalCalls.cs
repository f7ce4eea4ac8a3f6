using System.Collections.Concurrent;
using Synapse.Grains.Interfaces.Alerts;

namespace Synapse.Tests.Grains;

/// <summary>The calls key activity grains received, by key: each call's signals, in arrival order.</summary>
public sealed class ActivitySignalCalls : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ActivitySignal[]>> _calls = new();

    /// <summary>One entry per call: a batch's signals, or the one signal of a single <c>Record</c>.</summary>
    public IReadOnlyList<ActivitySignal[]> To(string keyId) => _calls.TryGetValue(keyId, out var calls) ? [.. calls] : [];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var signals = context.InterfaceMethod.Name switch
        {
            nameof(IKeyActivityGrain.RecordAll) => (ActivitySignal[])context.Request.GetArgument(0)!,
            nameof(IKeyActivityGrain.Record) when context.Request.GetArgument(0) is ActivitySignal one => [one],
            _ => null,
        };
        await context.Invoke();
        if (signals is not null)
        {
            _calls.GetOrAdd(context.TargetId.Key.ToString()!, _ => new()).Enqueue(signals);
        }
    }
}
