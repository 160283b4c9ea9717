namespace Periscope.Stats;

/// <summary>
/// A set of event keys made for a million adds: Periscope's own ids (32 hex digits) in one
/// open-addressed table of 128-bit numbers, 16 bytes an id and one probe most of the time; any
/// other id by its text.
/// </summary>
internal sealed class EventKeySet
{
    private readonly HashSet<string> _texts = new(StringComparer.Ordinal);
    private UInt128[] _slots = new UInt128[1024]; // 0 marks an empty slot; the id 0 is kept aside
    private int _count;
    private bool _hasZero;

    /// <summary>Makes room for <paramref name="more"/> further ids without growing on the way.</summary>
    public void EnsureCapacity(int more)
    {
        while ((long)(_count + more) * 2 > _slots.Length)
        {
            Grow();
        }
    }

    /// <summary>Adds the key; false when it was there already.</summary>
    public bool Add(EventKey key)
    {
        if (key.Text is { } text)
        {
            return _texts.Add(text);
        }

        if (key.Number == UInt128.Zero)
        {
            var added = !_hasZero;
            _hasZero = true;
            return added;
        }

        if ((_count + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        if (!Insert(_slots, key.Number))
        {
            return false;
        }

        _count++;
        return true;
    }

    private static bool Insert(UInt128[] slots, UInt128 number)
    {
        var mask = slots.Length - 1;
        for (var i = (int)(Mix(number) & (ulong)mask); ; i = (i + 1) & mask)
        {
            if (slots[i] == UInt128.Zero)
            {
                slots[i] = number;
                return true;
            }

            if (slots[i] == number)
            {
                return false;
            }
        }
    }

    private void Grow()
    {
        var larger = new UInt128[_slots.Length * 2];
        foreach (var number in _slots)
        {
            if (number != UInt128.Zero)
            {
                Insert(larger, number);
            }
        }

        _slots = larger;
    }

    // Ids may be hashes or counters: mix both halves so neighbours spread over the table.
    private static ulong Mix(UInt128 number)
    {
        var h = ((ulong)number ^ ((ulong)(number >> 64) * 0x9E3779B97F4A7C15UL)) * 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 31);
    }
}
