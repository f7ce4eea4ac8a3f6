using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

// Usage: Synapse.AllocationReport TRACE.nettrace [REQUESTS] [TOP]
// The runtime reports one GCAllocationTick per ~100 KB allocated, naming the type that crossed
// the threshold and carrying the stack: summed, they show which types and which of our frames
// allocate. REQUESTS (the requests served while the trace ran) turns the totals into bytes per request.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Synapse.AllocationReport TRACE.nettrace [REQUESTS] [TOP]");
    return 2;
}

var requests = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var top = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 25;
var etlx = TraceLog.CreateFromEventPipeDataFile(args[0]);
using var log = new TraceLog(etlx);
var byType = new Dictionary<string, long>(StringComparer.Ordinal);
var byFrame = new Dictionary<string, long>(StringComparer.Ordinal);
long total = 0;
foreach (var data in log.Events)
{
    if (data is not GCAllocationTickTraceData tick)
    {
        continue;
    }

    var amount = tick.AllocationAmount64;
    total += amount;
    var type = tick.TypeName ?? "?";
    byType[type] = byType.GetValueOrDefault(type) + amount;

    // Charged to the innermost frame of our own code (or the innermost frame at all when none).
    string? first = null;
    string? ours = null;
    for (var frame = tick.CallStack(); frame is not null; frame = frame.Caller)
    {
        var name = frame.CodeAddress.FullMethodName;
        if (string.IsNullOrEmpty(name))
        {
            continue;
        }

        first ??= name;
        if (name.StartsWith("Synapse.", StringComparison.Ordinal))
        {
            ours = name;
            break;
        }
    }

    var key = ours ?? "(outside Synapse) " + (first ?? "?");
    byFrame[key] = byFrame.GetValueOrDefault(key) + amount;
}

Console.WriteLine($"sampled bytes: {total:N0}{(requests > 0 ? $" ({total / requests:N0} per request over {requests:N0} requests)" : string.Empty)}");
Print("type", byType);
Print("innermost Synapse frame", byFrame);
return 0;

void Print(string title, Dictionary<string, long> table)
{
    Console.WriteLine();
    Console.WriteLine($"| {title} | share | bytes{(requests > 0 ? " per request" : string.Empty)} |");
    Console.WriteLine("|---|---:|---:|");
    foreach (var (name, bytes) in table.OrderByDescending(e => e.Value).Take(top))
    {
        var shown = name.Length > 140 ? name[..140] + "…" : name;
        Console.WriteLine($"| `{shown.Replace("|", "\\|", StringComparison.Ordinal)}` | {100.0 * bytes / Math.Max(1, total):F1} % | {(requests > 0 ? bytes / requests : bytes):N0} |");
    }
}
