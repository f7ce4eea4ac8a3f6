namespace Synapse.RateLimiting;

/// <summary>
/// The requests a key admitted in its sliding window, oldest first: when each was admitted and
/// how many tokens it counts for. Each entry has a sequence number by which settlement corrects
/// its tokens in place.
/// </summary>
/// <remarks>
/// A ring of structs, written here because <see cref="Queue{T}"/> cannot change an entry in
/// place. A busy key holds one entry per request for a whole minute (120,000 at 2,000 requests/s);
/// as one object per request, every one of them lived long enough to be promoted to the GC's
/// oldest generation and died there, which grew that generation for the length of a soak. The
/// ring also gives its memory back when the window empties after a burst.
/// </remarks>
internal sealed class AdmissionLog
{
    private const int MinimumCapacity = 16;

    private Admission[] _entries = new Admission[MinimumCapacity];
    private int _head;
    private long _oldestSequence;

    public int Count { get; private set; }

    /// <summary>How many entries the ring has room for before it grows.</summary>
    public int Capacity => _entries.Length;

    /// <summary>When the oldest entry was admitted (a <see cref="TimeProvider"/> timestamp); only when <see cref="Count"/> is above 0.</summary>
    public long OldestAdmittedAt => _entries[_head].At;

    /// <summary>Adds an admission as the newest entry and returns its sequence number.</summary>
    public long Add(long admittedAt, int tokens)
    {
        if (Count == _entries.Length)
        {
            Resize(_entries.Length * 2);
        }

        _entries[(_head + Count) % _entries.Length] = new Admission(admittedAt, tokens);
        Count++;
        return _oldestSequence + Count - 1;
    }

    /// <summary>Removes the oldest entry and returns the tokens it counted for.</summary>
    public int RemoveOldest()
    {
        var tokens = _entries[_head].Tokens;
        _head = (_head + 1) % _entries.Length;
        _oldestSequence++;
        Count--;
        if (Count <= _entries.Length / 4 && _entries.Length > MinimumCapacity)
        {
            Resize(_entries.Length / 2);
        }

        return tokens;
    }

    /// <summary>
    /// Sets the tokens of the entry with this sequence number and returns what it counted for
    /// before; false when the entry has already left the window.
    /// </summary>
    public bool TryCorrect(long sequence, int tokens, out int previousTokens)
    {
        if (sequence < _oldestSequence || sequence >= _oldestSequence + Count)
        {
            previousTokens = 0;
            return false;
        }

        ref var entry = ref _entries[(_head + (int)(sequence - _oldestSequence)) % _entries.Length];
        previousTokens = entry.Tokens;
        entry.Tokens = tokens;
        return true;
    }

    private void Resize(int capacity)
    {
        var resized = new Admission[capacity];
        for (var i = 0; i < Count; i++)
        {
            resized[i] = _entries[(_head + i) % _entries.Length];
        }

        _entries = resized;
        _head = 0;
    }

    private struct Admission(long at, int tokens)
    {
        public readonly long At = at;
        public int Tokens = tokens;
    }
}
