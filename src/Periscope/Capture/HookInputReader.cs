namespace Periscope.Capture;

/// <summary>Reads the hook payload from a stream, refusing anything larger than the limit.</summary>
internal static class HookInputReader
{
    /// <summary>Largest payload the hook reads: 1 MiB. A completed message's metadata is a few KB.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// Reads at most <see cref="MaxBytes"/>. Returns null when the input is larger: the rest is never
    /// read, so a runaway writer cannot hold the hook.
    /// </summary>
    public static ArraySegment<byte>? Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // Start small and grow: a payload is a few KB, and a 1 MiB buffer costs the start time.
        var buffer = new byte[16 * 1024];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (buffer.Length > MaxBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 4, MaxBytes + 1));
            }

            var read = input.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                return new ArraySegment<byte>(buffer, 0, total);
            }

            total += read;
        }
    }
}
