using System.Runtime.InteropServices;
using System.Text;
using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Stats;

/// <summary>
/// The facts of one ledger file, kept beside it (state/ledger-index/YYYY-MM.jsonl.facts) so that
/// stats and report parse each ledger line once, not on every run. The ledger is only ever appended
/// to: an index covers the file's first N bytes, and a later run parses only the lines after them,
/// in parallel slices, and writes the index again. An index is a cache and nothing else: it is
/// checked against the file (its length, and a hash of the bytes at both ends of what it covers)
/// and against the event definition it was made with, and any mismatch or damage means the file is
/// parsed whole again. Deleting the directory is always safe.
/// </summary>
internal static class LedgerIndex
{
    private const ulong Magic = 0x31_58_44_49_4C_43_53_50; // "PSCLIDX1"
    private const int FormatVersion = 2;
    private const int EdgeBytes = 4096;

    private static readonly ulong s_definition = Fnv(Encoding.UTF8.GetBytes(EventJson.Schema));

    /// <summary>What one ledger file holds, with how many of its lines this run had to parse.</summary>
    internal sealed record FileFacts(FactTable Facts, long LinesParsed, FileStream? Index) : IDisposable
    {
        public void Dispose() => Index?.Dispose();
    }

    /// <summary>The facts of <paramref name="ledgerFile"/>, from its index where the index is good.</summary>
    public static FileFacts Load(string ledgerFile, string indexDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerFile);
        var indexFile = Path.Combine(indexDirectory, Path.GetFileName(ledgerFile) + ".facts");
        using var file = new FileStream(ledgerFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        var length = file.Length;
        var (facts, covered, index) = TryRead(indexFile, file, length) ?? (new FactTable(), 0L, null);

        // The lines after the index, in parallel slices; the unfinished last line (no newline yet)
        // is counted this time but not written into the index.
        facts.Reserve((int)Math.Min((length - covered) / 256, int.MaxValue / 2));
        var unfinished = new FactTable();
        var lines = 0L;
        var (overLong, end) = LedgerBlocks.Read(file, covered, length, (offset, block) =>
        {
            var into = block.Span[^1] == (byte)'\n' ? facts : unfinished;
            foreach (var (slice, count) in Parse(block, offset))
            {
                into.Append(slice);
                lines += count;
            }
        });

        facts.CorruptLines += overLong;
        if (end > covered && BitConverter.IsLittleEndian)
        {
            TryWrite(indexFile, facts, file, end);
        }

        facts.Append(unfinished);
        return new FileFacts(facts, lines, index);
    }

    // The facts of a block of whole lines, one table per core's slice of it, in order.
    private static (FactTable Facts, long Lines)[] Parse(ReadOnlyMemory<byte> block, long blockOffset)
    {
        var bounds = SliceBounds(block.Span, Environment.ProcessorCount);
        var slices = new (FactTable Facts, long Lines)[bounds.Length - 1];
        Parallel.For(0, slices.Length, i =>
        {
            var table = new FactTable();
            var lines = 0L;
            var text = block.Span[bounds[i]..bounds[i + 1]];
            foreach (var range in text.Split((byte)'\n'))
            {
                var line = text[range];
                if (line.Trim((byte)'\r').IsEmpty)
                {
                    continue;
                }

                lines++;
                table.AddLine(line, blockOffset + bounds[i] + range.Start.Value);
            }

            slices[i] = (table, lines);
        });

        return slices;
    }

    // Cut points at line starts, one slice per core.
    private static int[] SliceBounds(ReadOnlySpan<byte> block, int count)
    {
        var bounds = new int[count + 1];
        bounds[count] = block.Length;
        for (var i = 1; i < count; i++)
        {
            var from = Math.Max(bounds[i - 1], block.Length / count * i);
            var cut = block[from..].IndexOf((byte)'\n');
            bounds[i] = cut < 0 ? block.Length : from + cut + 1;
        }

        return bounds;
    }

    private static (FactTable, long, FileStream?)? TryRead(string indexFile, FileStream ledger, long length)
    {
        if (!BitConverter.IsLittleEndian || !File.Exists(indexFile))
        {
            return null;
        }

        FileStream? stream = null;
        try
        {
            stream = new FileStream(indexFile, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 64 * 1024);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            var size = Marshal.SizeOf<MessageRecord>();
            if (reader.ReadUInt64() != Magic || reader.ReadInt32() != FormatVersion || reader.ReadUInt64() != s_definition || reader.ReadInt32() != size)
            {
                stream.Dispose();
                return null;
            }

            var covered = reader.ReadInt64();
            if (covered > length || reader.ReadUInt64() != EdgeHash(ledger, covered))
            {
                stream.Dispose();
                return null; // the ledger file is not the one indexed: parse it again
            }

            var facts = new FactTable { CorruptLines = reader.ReadInt32() };
            var strings = reader.ReadInt32();
            var messages = reader.ReadInt32();
            var others = reader.ReadInt32();
            for (var i = 0; i < strings; i++)
            {
                facts.AddString(reader.ReadString());
            }

            var ids = reader.ReadInt32();
            var recordsAt = stream.Position;
            var othersAt = recordsAt + ((long)messages * size);
            var idsAt = othersAt + ((long)others * Marshal.SizeOf<LineSpan>());
            if (messages < 0 || others < 0 || ids < 0 || ids > messages || idsAt + ((long)ids * 16) != stream.Length)
            {
                stream.Dispose();
                return null; // cut short or grown: not an index this version wrote whole
            }

            stream.Position = othersAt;
            CollectionsMarshal.SetCount(facts.Others, others);
            stream.ReadExactly(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(facts.Others)));
            var sorted = new UInt128[ids];
            stream.ReadExactly(MemoryMarshal.AsBytes(sorted.AsSpan()));
            facts.Store(stream.SafeFileHandle, recordsAt, messages);
            facts.StoreIds(sorted);
            return (facts, covered, stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EndOfStreamException or FormatException)
        {
            stream?.Dispose();
            return null;
        }
    }

    private static void TryWrite(string indexFile, FactTable facts, FileStream ledger, long covered)
    {
        try
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(indexFile)!);
            PrivateFiles.WriteAtomically(indexFile, stream =>
            {
                using var buffered = new BufferedStream(stream, 1024 * 1024);
                using var writer = new BinaryWriter(buffered, Encoding.UTF8);
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(s_definition);
                writer.Write(Marshal.SizeOf<MessageRecord>());
                writer.Write(covered);
                writer.Write(EdgeHash(ledger, covered));
                writer.Write(facts.CorruptLines);
                writer.Write(facts.Strings.Count);
                writer.Write(facts.MessageCount);
                writer.Write(facts.Others.Count);
                foreach (var s in facts.Strings)
                {
                    writer.Write(s);
                }

                var sorted = facts.SortedIds();
                writer.Write(sorted.Length);

                writer.Flush();
                facts.ReadMessages(lastFirst: false, chunk => buffered.Write(MemoryMarshal.AsBytes(chunk)));
                buffered.Write(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(facts.Others)));
                buffered.Write(MemoryMarshal.AsBytes(sorted.AsSpan()));
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written (a read-only state directory) costs the next run time,
            // never an answer: it parses the file again.
        }
    }

    // A hash of the first and the last bytes of [0, covered): a ledger file replaced or rewritten
    // in place (not appended to) almost surely changes one of them.
    private static ulong EdgeHash(FileStream ledger, long covered)
    {
        var head = new byte[(int)Math.Min(EdgeBytes, covered)];
        var tail = new byte[(int)Math.Min(EdgeBytes, covered)];
        RandomAccess.Read(ledger.SafeFileHandle, head, 0);
        RandomAccess.Read(ledger.SafeFileHandle, tail, covered - tail.Length);
        return Fnv(head) ^ (Fnv(tail) * 31) ^ (ulong)covered;
    }

    private static ulong Fnv(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
