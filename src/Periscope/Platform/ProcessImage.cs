using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Periscope.Platform;

/// <summary>
/// Hands this process over to another program with the same arguments, environment and stdio. On
/// Unix through execv: the same process, so the caller's wait, signals (Ctrl+C) and exit code are
/// the program's own. On Windows, which has no exec, a child on the same console, waited for, its
/// exit code returned.
/// </summary>
internal static partial class ProcessImage
{
    /// <summary>Runs <paramref name="path"/> in place of this process. Returns only on Windows, or when it could not be started.</summary>
    /// <exception cref="IOException">The program could not be started; the message says why.</exception>
    public static int Replace(string path, string[] arguments)
        => HostOS.IsWindows ? RunWindows(path, arguments) : ExecUnix(path, arguments);

    private static int RunWindows(string path, string[] arguments)
    {
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new IOException($"cannot start {path}");
        process.WaitForExit();
        return process.ExitCode;
    }

    private static unsafe int ExecUnix(string path, string[] arguments)
    {
        // Buffered output written so far would be lost with this process image.
        Console.Out.Flush();
        Console.Error.Flush();
        var argv = NativeStrings.Alloc([path, .. arguments]);
        var file = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            _ = execv(file, argv);
            throw new IOException($"cannot run {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        finally
        {
            NativeStrings.Free(argv);
            Marshal.FreeCoTaskMem(file);
        }
    }

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int execv(nint path, nint* argv);
}
