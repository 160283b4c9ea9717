namespace Periscope.Platform;

/// <summary>
/// Creates directories and files only the user can read (0700 / 0600 on Unix). On Windows the
/// per-user profile's ACLs already do that, so the plain calls are used.
/// </summary>
internal static class PrivateFiles
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
}
