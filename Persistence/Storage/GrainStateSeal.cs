using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Synapse.Persistence.Storage;

/// <summary>
/// The seal of one stored grain state: HMAC-SHA256 under a key the database never holds, over what
/// the row says (a state or a clear), the scoped state name (grain type and state name), the
/// grain's key and the state's JSON, each length-prefixed so that no two different rows frame to
/// the same bytes. Binding the name and key means a sealed row copied onto another grain's row (or
/// another state of the same grain) does not verify.
/// </summary>
internal sealed class GrainStateSeal
{
    public const int Length = 32;

    private readonly byte[] _key;

    public GrainStateSeal(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("A grain-state seal key has at least 32 bytes.", nameof(key));
        }

        _key = (byte[])key.Clone();
    }

    /// <param name="json">The state's JSON, or null for a cleared state (which is sealed too, so that a row cannot be cleared behind Synapse's back).</param>
    public byte[] Compute(string scopedStateName, string grainKey, ReadOnlySpan<byte> json, bool cleared)
    {
        var seal = new byte[Length];
        Compute(scopedStateName, grainKey, json, cleared, seal);
        return seal;
    }

    /// <summary>Whether <paramref name="seal"/> is this row's seal, compared in constant time.</summary>
    public bool Verifies(string scopedStateName, string grainKey, ReadOnlySpan<byte> json, bool cleared, ReadOnlySpan<byte> seal)
    {
        Span<byte> expected = stackalloc byte[Length];
        Compute(scopedStateName, grainKey, json, cleared, expected);
        return seal.Length == Length && CryptographicOperations.FixedTimeEquals(expected, seal);
    }

    private void Compute(string scopedStateName, string grainKey, ReadOnlySpan<byte> json, bool cleared, Span<byte> destination)
    {
        var nameBytes = Encoding.UTF8.GetByteCount(scopedStateName);
        var keyBytes = Encoding.UTF8.GetByteCount(grainKey);
        var length = 1 + 4 + nameBytes + 4 + keyBytes + 4 + json.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffer = rented.AsSpan(0, length);
            buffer[0] = cleared ? (byte)'C' : (byte)'S';
            var at = 1;
            at += Frame(buffer[at..], scopedStateName, nameBytes);
            at += Frame(buffer[at..], grainKey, keyBytes);
            BinaryPrimitives.WriteInt32BigEndian(buffer[at..], json.Length);
            json.CopyTo(buffer[(at + 4)..]);
            HMACSHA256.HashData(_key, buffer, destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Frame(Span<byte> buffer, string text, int byteCount)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer, byteCount);
        Encoding.UTF8.GetBytes(text, buffer[4..]);
        return 4 + byteCount;
    }
}
