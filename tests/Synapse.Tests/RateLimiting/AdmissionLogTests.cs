using Synapse.RateLimiting;

namespace Synapse.Tests.RateLimiting;

public sealed class AdmissionLogTests
{
    [Fact]
    public void Entries_KeepTheirOrderAndSequence_AcrossWrapGrowthAndShrinking()
    {
        var log = new AdmissionLog();
        var sequences = new Queue<(long Sequence, long At, int Tokens)>();
        long next = 0;

        var largest = 0;

        // Fill past the first capacities while removing some, so the ring wraps before it grows.
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                var sequence = log.Add(next, (int)(next % 1_000));
                Assert.Equal(next, sequence);
                sequences.Enqueue((sequence, next, (int)(next % 1_000)));
                next++;
                largest = Math.Max(largest, log.Capacity);
                if (i % 3 == 0)
                {
                    var oldest = sequences.Dequeue();
                    Assert.Equal(oldest.At, log.OldestAdmittedAt);
                    Assert.Equal(oldest.Tokens, log.RemoveOldest());
                }
            }

            // Empty most of it: the ring shrinks and what is left keeps its order.
            while (sequences.Count > 10)
            {
                var oldest = sequences.Dequeue();
                Assert.Equal(oldest.At, log.OldestAdmittedAt);
                Assert.Equal(oldest.Tokens, log.RemoveOldest());
            }

            Assert.Equal(sequences.Count, log.Count);
            Assert.True(log.Capacity <= 64, $"capacity {log.Capacity} for {log.Count} entries");
        }

        Assert.True(largest >= 512, $"the ring never grew past {largest}");
        var kept = sequences.Peek();
        Assert.True(log.TryCorrect(kept.Sequence, 4_321, out var before));
        Assert.Equal(kept.Tokens, before);
        Assert.Equal(4_321, log.RemoveOldest());
    }

    [Fact]
    public void Correcting_AnEntryThatLeftTheWindowOrNeverExisted_ChangesNothing()
    {
        var log = new AdmissionLog();
        var first = log.Add(1, 10);
        var second = log.Add(2, 20);
        log.RemoveOldest();

        Assert.False(log.TryCorrect(first, 99, out _));
        Assert.False(log.TryCorrect(second + 1, 99, out _));
        Assert.True(log.TryCorrect(second, 25, out var before));
        Assert.Equal(20, before);
        Assert.Equal(25, log.RemoveOldest());
        Assert.Equal(0, log.Count);
    }
}
