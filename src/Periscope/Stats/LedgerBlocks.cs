namespace Periscope.Stats;

/// <summary>
/// A ledger file in blocks of whole lines, read through one reusable buffer, so reading does not
/// grow with the ledger. A line longer than the buffer (never written by Periscope) is skipped and
/// counted.
/// </summary>
internal static class LedgerBlocks
{
    public const int BlockBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Calls <paramref name="block"/> with the file offset and bytes of each run of whole lines in
    /// [<paramref name="start"/>, <paramref name="length"/>); a last line without its newline comes
    /// alone, as the last block. Returns the count of over-long lines skipped, and where the last
    /// newline read ends (what a later read can start from).
    /// </summary>
    public static (int OverLong, long End) Read(FileStream file, long start, long length, Action<long, ReadOnlyMemory<byte>> block)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(block);
        var buffer = new byte[(int)Math.Min(BlockBytes, Math.Max(length - start, 0) + 1)];
        var filled = 0;
        var skipping = false;
        var skipped = 0;
        var position = start; // file offset of buffer[0]
        var end = start;
        while (true)
        {
            var want = (int)Math.Min(buffer.Length - filled, length - position - filled);
            var read = want <= 0 ? 0 : RandomAccess.Read(file.SafeFileHandle, buffer.AsSpan(filled, want), position + filled);
            filled += read;
            if (read == 0)
            {
                if (filled > 0 && !skipping)
                {
                    block(position, buffer.AsMemory(0, filled)); // the last line, without its newline
                }

                return (skipped, end);
            }

            var from = 0;
            if (skipping)
            {
                var newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
                if (newline < 0)
                {
                    position += filled;
                    filled = 0;
                    continue;
                }

                skipping = false;
                from = newline + 1;
                end = position + from;
            }

            var last = buffer.AsSpan(from, filled - from).LastIndexOf((byte)'\n');
            if (last < 0 && from == 0 && filled == buffer.Length && buffer.Length == BlockBytes)
            {
                // One line fills the whole buffer: not an event; drop it up to its newline.
                skipped++;
                skipping = true;
                position += filled;
                filled = 0;
                continue;
            }

            if (last >= 0)
            {
                block(position + from, buffer.AsMemory(from, last + 1));
                from += last + 1;
                end = position + from;
            }

            buffer.AsSpan(from, filled - from).CopyTo(buffer);
            position += from;
            filled -= from;
        }
    }
}
