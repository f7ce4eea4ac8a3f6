namespace Synapse.Tests.Audit;

/// <summary>Waits for a condition that background work makes true, instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task HoldsAsync(Func<bool> condition, TimeSpan? timeout = null) => HoldsAsync(() => Task.FromResult(condition()), timeout);

    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {(timeout ?? DefaultTimeout).TotalSeconds} s.");
            }

            await Task.Delay(20);
        }
    }
}
