using System.Runtime.ExceptionServices;

namespace Synapse.Tests.Infrastructure;

/// <summary>
/// Counts, while it lives, the exceptions <c>System.Diagnostics</c> throws (and catches) on
/// restoring a stopped trace activity, for which <paramref name="counts"/> holds when thrown — on
/// the throwing thread, so it can look at <c>Activity.Current</c> or the whole stack. The handler
/// sees every thread of the test process: the filter keeps the tests running beside out.
/// </summary>
internal sealed class StoppedActivityExceptions : IDisposable
{
    private const string Message = "Trying to set an Activity that is not running";

    private readonly Func<bool> _counts;
    private int _count;

    public StoppedActivityExceptions(Func<bool> counts)
    {
        _counts = counts;
        AppDomain.CurrentDomain.FirstChanceException += Count;
    }

    public int Thrown => Volatile.Read(ref _count);

    public void Dispose() => AppDomain.CurrentDomain.FirstChanceException -= Count;

    private void Count(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (e.Exception is InvalidOperationException { Message: Message } && _counts())
        {
            Interlocked.Increment(ref _count);
        }
    }
}
