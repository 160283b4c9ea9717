using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Periscope.Events;

namespace Periscope.Stats;

/// <summary>
/// One assistant message as a fixed-size record: what <see cref="MessageFact"/> holds, with its
/// strings as indexes into the table's string list (-1 for none) and its times as UTC ticks and
/// offset minutes. Fixed size, so a ledger index stores and loads them as raw bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MessageRecord
{
    public UInt128 Id;
    public decimal Cost;
    public long Input;
    public long Output;
    public long Reasoning;
    public long CacheRead;
    public long CacheWrite;
    public long OccurredTicks;
    public long CreatedTicks;
    public long CompletedTicks;
    public int IdText; // the id's text when it is not 32 hex digits; else -1 and Id holds it
    public int Session;
    public int Model;
    public int Provider;
    public int Agent;
    public int Repo;
    public int RepoName;
    public int Branch;
    public short OccurredOffset;
    public short CreatedOffset;
    public short CompletedOffset;
    public short Spare;
}

/// <summary>Where a ledger line that is not an assistant message lies in its file.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct LineSpan(long Offset, int Length);

/// <summary>A run of message records, in file order.</summary>
internal delegate void RecordChunk(ReadOnlySpan<MessageRecord> records);

/// <summary>
/// The facts of a run of ledger lines, in line order: messages as records, other events by where
/// their line is, and the count of lines that are not valid events. Strings are kept once. Records
/// read back from an index stay on disk and are read in chunks, so a large ledger costs a buffer,
/// not its size in memory.
/// </summary>
internal sealed class FactTable
{
    private const int ChunkRecords = 4096;

    private readonly Dictionary<string, int> _stringIds = new(StringComparer.Ordinal);
    private readonly List<MessageRecord> _added = [];
    private SafeFileHandle? _stored;
    private long _storedOffset;
    private int _storedCount;
    private UInt128[] _storedIds = [];
    private UInt128[]? _sortedIds; // SortedIds(), kept until a record is added: the index write and the read both ask

    public List<string> Strings { get; } = [];

    public List<LineSpan> Others { get; } = [];

    public int CorruptLines { get; set; }

    public int MessageCount => _storedCount + _added.Count;

    /// <summary>Adds one ledger line read from <paramref name="offset"/> in its file.</summary>
    public void AddLine(ReadOnlySpan<byte> line, long offset)
    {
        var read = EventJson.Read(line);
        switch (read.Event)
        {
            case null:
                CorruptLines++;
                break;
            case AssistantMessageEvent m:
                _added.Add(Record(m));
                _sortedIds = null;
                break;
            default:
                Others.Add(new LineSpan(offset, line.Length));
                break;
        }
    }

    /// <summary>Appends <paramref name="other"/>'s facts (parsed, not stored) after this table's own.</summary>
    public void Append(FactTable other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var map = other.Strings.Select(String).ToArray();
        int Map(int index) => index < 0 ? -1 : map[index];
        _sortedIds = null;
        foreach (var r in other._added)
        {
            _added.Add(r with
            {
                IdText = Map(r.IdText), Session = Map(r.Session), Model = Map(r.Model), Provider = Map(r.Provider),
                Agent = Map(r.Agent), Repo = Map(r.Repo), RepoName = Map(r.RepoName), Branch = Map(r.Branch),
            });
        }

        Others.AddRange(other.Others);
        CorruptLines += other.CorruptLines;
    }

    /// <summary>Makes room for about <paramref name="messages"/> more records.</summary>
    public void Reserve(int messages) => _added.EnsureCapacity(_added.Count + messages);

    /// <summary>Adds a string read back from an index, in its order.</summary>
    public void AddString(string value)
    {
        _stringIds.TryAdd(value, Strings.Count);
        Strings.Add(value);
    }

    /// <summary>The first <paramref name="count"/> records are in <paramref name="index"/> from <paramref name="offset"/>, open as long as the table is read.</summary>
    public void Store(SafeFileHandle index, long offset, int count)
    {
        _stored = index;
        _storedOffset = offset;
        _storedCount = count;
    }

    /// <summary>The sorted numeric ids of the stored records.</summary>
    public void StoreIds(UInt128[] sorted)
    {
        _storedIds = sorted;
        _sortedIds = null;
    }

    /// <summary>
    /// The numeric ids of every record (not the text ids), sorted: a repeated id appears as often
    /// as it occurs.
    /// </summary>
    public UInt128[] SortedIds() => _sortedIds ??= MergeSortedIds();

    private UInt128[] MergeSortedIds()
    {
        if (_added.Count == 0)
        {
            return _storedIds;
        }

        var added = _added.Where(r => r.IdText < 0).Select(r => r.Id).ToArray();
        Array.Sort(added);
        if (_storedIds.Length == 0)
        {
            return added;
        }

        var merged = new UInt128[_storedIds.Length + added.Length];
        int a = 0, b = 0, m = 0;
        while (a < _storedIds.Length && b < added.Length)
        {
            merged[m++] = _storedIds[a] <= added[b] ? _storedIds[a++] : added[b++];
        }

        _storedIds.AsSpan(a).CopyTo(merged.AsSpan(m));
        added.AsSpan(b).CopyTo(merged.AsSpan(m + _storedIds.Length - a));
        return merged;
    }

    /// <summary>
    /// Calls <paramref name="each"/> with every record in chunks, in file order, or with the chunks
    /// last first when <paramref name="lastFirst"/> (each chunk itself still in file order).
    /// </summary>
    public void ReadMessages(bool lastFirst, RecordChunk each)
    {
        ArgumentNullException.ThrowIfNull(each);
        if (lastFirst)
        {
            each(CollectionsMarshal.AsSpan(_added));
        }

        if (_stored is { } stored)
        {
            var buffer = new MessageRecord[Math.Min(ChunkRecords, _storedCount)];
            var size = Marshal.SizeOf<MessageRecord>();
            for (var done = 0; done < _storedCount; done += buffer.Length)
            {
                var count = Math.Min(buffer.Length, _storedCount - done);
                var first = lastFirst ? _storedCount - done - count : done;
                var chunk = buffer.AsSpan(0, count);
                RandomAccess.Read(stored, MemoryMarshal.AsBytes(chunk), _storedOffset + ((long)first * size));
                each(chunk);
            }
        }

        if (!lastFirst)
        {
            each(CollectionsMarshal.AsSpan(_added));
        }
    }

    private int String(string? value)
    {
        if (value is null)
        {
            return -1;
        }

        if (!_stringIds.TryGetValue(value, out var index))
        {
            index = Strings.Count;
            _stringIds.Add(value, index);
            Strings.Add(value);
        }

        return index;
    }

    private MessageRecord Record(AssistantMessageEvent m)
    {
        var key = EventKey.From(m.EventId);
        return new MessageRecord
        {
            Id = key.Number,
            IdText = String(key.Text),
            Cost = m.CostUsd,
            Input = m.Tokens.Input,
            Output = m.Tokens.Output,
            Reasoning = m.Tokens.Reasoning,
            CacheRead = m.Tokens.CacheRead,
            CacheWrite = m.Tokens.CacheWrite,
            OccurredTicks = m.OccurredAt.UtcTicks,
            OccurredOffset = (short)m.OccurredAt.TotalOffsetMinutes,
            CreatedTicks = m.CreatedAt.UtcTicks,
            CreatedOffset = (short)m.CreatedAt.TotalOffsetMinutes,
            CompletedTicks = m.CompletedAt.UtcTicks,
            CompletedOffset = (short)m.CompletedAt.TotalOffsetMinutes,
            Session = String(m.SessionId),
            Model = String($"{m.ProviderId}/{m.ModelId}"),
            Provider = String(m.ProviderId),
            Agent = String(m.Agent),
            Repo = String(m.Git?.RepoUrl),
            RepoName = String(m.Git?.RepoName),
            Branch = String(m.Git?.Branch),
        };
    }
}
