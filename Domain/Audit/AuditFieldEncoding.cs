using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Synapse.Audit;

/// <summary>
/// The unambiguous byte form that row and manifest MACs are computed over: an ASCII prefix naming
/// the rule, then each field as a 4-byte big-endian length (−1 for NULL) followed by its UTF-8
/// text. Lengths make it impossible to move bytes from one field into its neighbour.
/// </summary>
internal sealed class AuditFieldEncoding
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public AuditFieldEncoding(string prefix) => _buffer.Write(Encoding.ASCII.GetBytes(prefix));

    public ReadOnlySpan<byte> Bytes => _buffer.WrittenSpan;

    public AuditFieldEncoding Add(long? value) => Add(value?.ToString(CultureInfo.InvariantCulture));

    public AuditFieldEncoding Add(string? value)
    {
        var length = _buffer.GetSpan(4);
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            _buffer.Advance(4);
            return this;
        }

        var count = Encoding.UTF8.GetByteCount(value);
        BinaryPrimitives.WriteInt32BigEndian(length, count);
        _buffer.Advance(4);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
        _buffer.Advance(count);
        return this;
    }
}
