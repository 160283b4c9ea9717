using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Periscope.Platform;

/// <summary>
/// Creates directories and files only the user can read (0700 / 0600 on Unix). On Windows the
/// per-user profile's ACLs already do that, so the plain calls are used.
/// </summary>
internal static partial class PrivateFiles
{
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates the directory, and every missing parent, readable by the user alone.
    /// (Directory.CreateDirectory with a mode applies it to the last level only.)
    /// </summary>
    public static void CreateDirectory(string path)
    {
        if (HostOS.IsWindows)
        {
            Directory.CreateDirectory(path);
            return;
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return;
        }

        if (Path.GetDirectoryName(full) is { } parent)
        {
            CreateDirectory(parent);
        }

        Directory.CreateDirectory(full, DirectoryMode);
    }

    /// <summary>Options for a new file readable by the user alone.</summary>
    public static FileStreamOptions NewFile(System.IO.FileMode mode, int bufferSize = 4096)
    {
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = bufferSize,
        };
        if (HostOS.IsUnix)
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>
    /// Writes a file readable by the user alone (0700 when <paramref name="executable"/>), atomically
    /// (<see cref="AtomicFiles"/>).
    /// The directory must exist (<see cref="CreateDirectory"/>).
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write, bool executable = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        var options = NewFile(System.IO.FileMode.CreateNew);
        if (executable && HostOS.IsUnix)
        {
            options.UnixCreateMode = FileMode | UnixFileMode.UserExecute;
        }

        AtomicFiles.Write(path, options, write);
    }

    /// <summary>
    /// Opens a file for appending (created readable by the user alone), never through a symbolic
    /// link: whoever could plant one in the state directory would otherwise have Periscope append
    /// to any file the user can write. On Unix the open itself refuses it (O_NOFOLLOW); on Windows
    /// a reparse point there is refused before the open.
    /// </summary>
    /// <exception cref="IOException">The path is a symbolic link, or cannot be opened.</exception>
    public static FileStream OpenAppend(string path, int bufferSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (HostOS.IsWindows)
        {
            if (File.Exists(path) && File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
            {
                throw new IOException($"{path} is a link; Periscope does not write through one");
            }

            return new FileStream(path, NewFile(System.IO.FileMode.Append, bufferSize));
        }

        var descriptor = Open(path, WriteCreateNoFollowCloseOnExec, (int)FileMode);
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException(RegularFiles.Owner(path) is { IsSymbolicLink: true }
                ? $"{path} is a symbolic link; Periscope does not write through one (remove it)"
                : $"{path} cannot be opened for writing ({Marshal.GetPInvokeErrorMessage(error)})");
        }

        SafeFileHandle? handle = new(descriptor, ownsHandle: true);
        try
        {
            var stream = new FileStream(handle, FileAccess.Write, bufferSize);
            handle = null; // the stream owns it
            stream.Seek(0, SeekOrigin.End);
            return stream;
        }
        finally
        {
            handle?.Dispose();
        }
    }

    // System.Native's own open flags (the same on every Unix): O_WRONLY | O_CLOEXEC | O_CREAT | O_NOFOLLOW.
    private const int WriteCreateNoFollowCloseOnExec = 0x0001 | 0x0010 | 0x0020 | 0x0200;

    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Open(string path, int flags, int mode);
}
