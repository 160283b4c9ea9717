using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Periscope.Platform;

/// <summary>
/// Opens files that someone else may have put in place (a repository's .git, the state directory)
/// in a way that cannot block: on Unix the file is opened with O_NONBLOCK, so a FIFO with no
/// writer opens at once, and then checked with fstat on the open descriptor, so a FIFO, device or
/// socket is refused before a byte is read (a plain open of a FIFO waits for a writer forever). Each
/// costs one open and one fstat, as the File calls it replaces did. Absent, refused and unreadable
/// files all read as absent. On Windows there are no FIFOs in the file system, and the plain calls
/// are used.
/// </summary>
internal static partial class RegularFiles
{
    private const int TypeMask = 0xF000; // S_IFMT, as .NET's System.Native reports it on every Unix
    private const int RegularType = 0x8000; // S_IFREG
    private const int SymbolicLinkType = 0xA000; // S_IFLNK

    /// <summary>Opens the file for reading when it is a regular file (symbolic links followed); null otherwise.</summary>
    public static FileStream? OpenRead(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (HostOS.IsWindows)
        {
            try
            {
                return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1) : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        var descriptor = Open(path, ReadOnlyNonBlocking());
        if (descriptor < 0)
        {
            return null;
        }

        SafeFileHandle? handle = new(descriptor, ownsHandle: true);
        try
        {
            if (Status(handle) is not { } status || (status.Mode & TypeMask) != RegularType)
            {
                return null;
            }

            var stream = new FileStream(handle, FileAccess.Read, 1);
            handle = null; // the stream owns it
            return stream;
        }
        finally
        {
            handle?.Dispose();
        }
    }

    /// <summary>The whole file, or null when it is absent, not a regular file or unreadable.</summary>
    public static byte[]? ReadAllBytes(string path)
    {
        using var stream = OpenRead(path);
        if (stream is null)
        {
            return null;
        }

        try
        {
            var length = stream.Length;
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The file as UTF-8 text, or null (see <see cref="ReadAllBytes"/>).</summary>
    public static string? ReadAllText(string path) => ReadAllBytes(path) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The file's first line, or null (see <see cref="ReadAllBytes"/>).</summary>
    public static string? ReadFirstLine(string path)
    {
        using var stream = OpenRead(path);
        if (stream is null)
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadLine();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The file's lines, or none (see <see cref="ReadAllBytes"/>).</summary>
    public static string[] ReadAllLines(string path)
    {
        var lines = new List<string>();
        using var reader = new StringReader(ReadAllText(path) ?? string.Empty);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return [.. lines];
    }

    /// <summary>
    /// Who owns the path and its permission bits, a final symbolic link followed or not; null when
    /// it does not exist or on Windows.
    /// </summary>
    public static (int Owner, UnixFileMode Mode, bool IsSymbolicLink)? Owner(string path, bool followLink = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (HostOS.IsWindows || (followLink ? Stat(path, out var status) : LStat(path, out status)) != 0)
        {
            return null;
        }

        return (status.Uid, (UnixFileMode)(status.Mode & 0xFFF), (status.Mode & TypeMask) == SymbolicLinkType);
    }

    /// <summary>Whether the path is a regular file, symbolic links followed (on Windows: whether it exists as a file).</summary>
    public static bool IsRegular(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return HostOS.IsWindows ? File.Exists(path) : Stat(path, out var status) == 0 && (status.Mode & TypeMask) == RegularType;
    }

    /// <summary>The effective user id of this process (Unix).</summary>
    public static int EffectiveUser() => HostOS.IsWindows ? -1 : (int)GetEUid();

    private static FileStatus? Status(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return FStat(handle.DangerousGetHandle(), out var status) == 0 ? status : null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    // O_RDONLY | O_NONBLOCK | O_CLOEXEC.
    private static int ReadOnlyNonBlocking() => HostOS.IsMacOS ? 0x0004 | 0x1000000 : 0x0800 | 0x80000;

    // .NET's own stat record (System.Native's FileStatus): the same layout on every Unix and
    // architecture. Only the leading fields are read; the rest is room for what follows them.
    [StructLayout(LayoutKind.Sequential)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
        public int Uid;
        public int Gid;
        public Rest Rest;
    }

    [System.Runtime.CompilerServices.InlineArray(30)]
    private struct Rest
    {
        private long _first;
    }

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    // System.Native is linked into a Native AOT image and found beside the runtime otherwise.
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FStat")]
    private static partial int FStat(nint descriptor, out FileStatus status);

    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, out FileStatus status);

    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, out FileStatus status);

    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEUid();
}
