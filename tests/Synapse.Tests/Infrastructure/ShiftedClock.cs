namespace Synapse.Tests.Infrastructure;

/// <summary>
/// The system clock moved forward by what a test asks for. Unlike a <c>FakeTimeProvider</c> it
/// leaves timers and timestamps real, so a whole gateway (Orleans, Kestrel, the audit writer) runs
/// on it unchanged while the test jumps over an hour instead of sleeping through it.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
