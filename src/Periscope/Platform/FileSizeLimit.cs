using System.Runtime.InteropServices;

namespace Periscope.Platform;

/// <summary>
/// A file-size limit (<c>ulimit -f</c>) kills a process that writes past it with SIGXFSZ, before a
/// catch block or a temp file's clean-up can run. Ignored, the write fails as an I/O error (EFBIG)
/// instead, which every writer here already handles: the hook still exits 0, and temp files go.
/// </summary>
internal static partial class FileSizeLimit
{
    private const int FileSizeSignal = 25; // SIGXFSZ, on Linux and macOS alike
    private const nint Ignore = 1; // SIG_IGN

    /// <summary>Makes a write past the limit an error instead of the end of the process (Unix; nothing on Windows).</summary>
    public static void FailWritesInsteadOfExiting()
    {
        if (HostOS.IsUnix)
        {
            _ = Signal(FileSizeSignal, Ignore);
        }
    }

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
