namespace Synapse.Tests.Infrastructure;

/// <summary>
/// Waits for a condition that background work makes true, instead of sleeping a fixed time: the
/// one helper the suite polls with (every 20 ms, 30 s at most unless told).
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> when it never does.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan? timeout = null) => HoldsAsync(() => Task.FromResult(condition()), timeout);

    /// <inheritdoc cref="HoldsAsync(Func{bool}, TimeSpan?)"/>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {(timeout ?? DefaultTimeout).TotalSeconds} s.");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>
    /// Reads until <paramref name="done"/> accepts the value, and returns it; at the deadline it
    /// returns the last value read, so that the caller's assertions say what was there instead.
    /// </summary>
    public static Task<T> ValueAsync<T>(Func<T> read, Func<T, bool> done, TimeSpan? timeout = null) =>
        ValueAsync(() => Task.FromResult(read()), done, timeout);

    /// <inheritdoc cref="ValueAsync{T}(Func{T}, Func{T, bool}, TimeSpan?)"/>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(Interval);
        }
    }
}
