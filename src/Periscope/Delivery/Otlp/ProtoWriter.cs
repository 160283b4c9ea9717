using System.Buffers.Binary;
using System.Text;

namespace Periscope.Delivery.Otlp;

/// <summary>
/// Protocol Buffers wire format, as much of it as OTLP needs: varints, fixed64, doubles, strings
/// and nested messages. A nested message is written in place and its length inserted when it
/// ends, so nothing is encoded twice.
/// </summary>
internal sealed class ProtoWriter
{
    private byte[] _buffer = new byte[4096];
    private int _length;

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>What was written, valid until the next write or <see cref="Reset"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Starts over, keeping the buffer: one writer serves every batch of a worker.</summary>
    public void Reset() => _length = 0;

    public void Varint(int field, ulong value)
    {
        Tag(field, 0);
        RawVarint(value);
    }

    public void Bool(int field, bool value) => Varint(field, value ? 1UL : 0UL);

    public void Int64(int field, long value) => Varint(field, unchecked((ulong)value));

    public void Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void Double(int field, double value) => Fixed64(field, BitConverter.DoubleToUInt64Bits(value));

    public void String(int field, string value)
    {
        Tag(field, 2);
        var bytes = Encoding.UTF8.GetByteCount(value);
        RawVarint((ulong)bytes);
        Ensure(bytes);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>Starts a nested message in <paramref name="field"/>; pass the result to <see cref="End"/>.</summary>
    public int Begin(int field)
    {
        Tag(field, 2);
        return _length;
    }

    /// <summary>Ends the nested message that began at <paramref name="start"/>: its length goes in front of it.</summary>
    public void End(int start)
    {
        var size = _length - start;
        var prefix = VarintSize((ulong)size);
        Ensure(prefix);
        _buffer.AsSpan(start, size).CopyTo(_buffer.AsSpan(start + prefix));
        var end = _length + prefix;
        _length = start;
        RawVarint((ulong)size);
        _length = end;
    }

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}
