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
    public static byte[]? Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var buffer = new byte[MaxBytes + 1];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = input.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                return buffer[..total];
            }

            total += read;
        }

        return null;
    }
}
