using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Periscope.Platform;

/// <summary>
/// Starts a process that outlives its parent and never holds the parent's caller: on Unix a new
/// session (setsid) with /dev/null for stdin, stdout and stderr, through posix_spawn; on Windows
/// without a window and without inherited handles. A child that kept the caller's pipes open
/// would make OpenCode wait for it.
/// </summary>
internal static partial class DetachedProcess
{
    // glibc: POSIX_SPAWN_SETSID = 0x80 (2.26+); macOS: 0x400 (10.15+).
    private static short SetSidFlag => HostOS.IsMacOS ? (short)0x400 : (short)0x80;

    /// <summary>Starts <paramref name="path"/> with <paramref name="arguments"/>; false when it could not be started.</summary>
    public static bool TryStart(string path, params string[] arguments)
        => HostOS.IsWindows ? StartWindows(path, arguments) : StartUnix(path, arguments);

    private static bool StartWindows(string path, string[] arguments)
    {
        var start = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static unsafe bool StartUnix(string path, string[] arguments)
    {
        // Opaque glibc/macOS structures, given more room than either needs (336 and 80 bytes on glibc).
        var attributes = stackalloc byte[1024];
        var actions = stackalloc byte[1024];
        var argv = NativeStrings.Alloc([path, .. arguments]);
        var envp = NativeStrings.Alloc(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToArray());
        var devNull = Marshal.StringToCoTaskMemUTF8("/dev/null");
        var file = Marshal.StringToCoTaskMemUTF8(path);
        try
        {
            if (posix_spawnattr_init(attributes) != 0)
            {
                return false;
            }

            if (posix_spawn_file_actions_init(actions) != 0)
            {
                _ = posix_spawnattr_destroy(attributes);
                return false;
            }

            try
            {
                const int ReadOnly = 0, WriteOnly = 1;
                var ok = posix_spawnattr_setflags(attributes, SetSidFlag) == 0
                    && posix_spawn_file_actions_addopen(actions, 0, devNull, ReadOnly, 0) == 0
                    && posix_spawn_file_actions_addopen(actions, 1, devNull, WriteOnly, 0) == 0
                    && posix_spawn_file_actions_addopen(actions, 2, devNull, WriteOnly, 0) == 0;
                int pid;
                return ok && posix_spawn(&pid, file, actions, attributes, argv, envp) == 0;
            }
            finally
            {
                _ = posix_spawn_file_actions_destroy(actions);
                _ = posix_spawnattr_destroy(attributes);
            }
        }
        finally
        {
            NativeStrings.Free(argv);
            NativeStrings.Free(envp);
            Marshal.FreeCoTaskMem(devNull);
            Marshal.FreeCoTaskMem(file);
        }
    }

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int posix_spawn(int* pid, nint path, byte* fileActions, byte* attributes, nint* argv, nint* envp);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_init(byte* attributes);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_destroy(byte* attributes);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_setflags(byte* attributes, short flags);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc")]
    private static unsafe partial int posix_spawn_file_actions_init(byte* actions);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc")]
    private static unsafe partial int posix_spawn_file_actions_destroy(byte* actions);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc")]
    private static unsafe partial int posix_spawn_file_actions_addopen(byte* actions, int fd, nint path, int flags, int mode);
}
