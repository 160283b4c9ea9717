using Periscope.Events;

namespace Periscope.Stats;

/// <summary>
/// A ledger file in blocks of whole lines, read through one reusable buffer, so a report's memory
/// does not grow with the ledger. A line longer than the buffer (never written by Periscope) is
/// skipped and counted.
/// </summary>
internal static class LedgerBlocks
{
    public const int BlockBytes = 8 * 1024 * 1024;

    /// <summary>Calls <paramref name="block"/> with each run of whole lines; returns the count of over-long lines skipped.</summary>
    public static int Read(string path, Action<ReadOnlyMemory<byte>> block)
    {
        ArgumentNullException.ThrowIfNull(block);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[BlockBytes];
        var filled = 0;
        var skipping = false;
        var skipped = 0;
        while (true)
        {
            var read = file.Read(buffer, filled, buffer.Length - filled);
            filled += read;
            if (read == 0)
            {
                if (filled > 0 && !skipping)
                {
                    block(buffer.AsMemory(0, filled)); // the last line, without its newline
                }

                return skipped;
            }

            var start = 0;
            if (skipping)
            {
                var newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    filled = 0;
                    continue;
                }

                skipping = false;
                start = newline + 1;
            }

            var end = buffer.AsSpan(start, filled - start).LastIndexOf((byte)'\n');
            if (end < 0 && start == 0 && filled == buffer.Length)
            {
                // One line fills the whole buffer: not an event; drop it up to its newline.
                skipped++;
                skipping = true;
                filled = 0;
                continue;
            }

            if (end >= 0)
            {
                block(buffer.AsMemory(start, end + 1));
                start += end + 1;
            }

            buffer.AsSpan(start, filled - start).CopyTo(buffer);
            filled -= start;
        }
    }

    /// <summary>
    /// Calls <paramref name="each"/> with every valid event of the file, in file order; returns how
    /// many lines were not valid events (over-long ones included).
    /// </summary>
    public static int ReadEvents(string path, Action<IPeriscopeEvent> each)
    {
        ArgumentNullException.ThrowIfNull(each);
        var corrupt = 0;
        var overLong = Read(path, block =>
        {
            var text = block.Span;
            foreach (var range in text.Split((byte)'\n'))
            {
                var line = text[range];
                if (line.Trim((byte)'\r').IsEmpty)
                {
                    continue;
                }

                if (EventJson.Read(line).Event is { } read)
                {
                    each(read);
                }
                else
                {
                    corrupt++;
                }
            }
        });
        return corrupt + overLong;
    }
}
