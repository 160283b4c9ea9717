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
        if (OperatingSystem.IsWindows())
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
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return options;
    }

    /// <summary>
    /// Writes a file readable by the user alone (0700 when <paramref name="executable"/>), through a
    /// temporary file beside it and a rename, so a reader sees the old content or the new, never half.
    /// The directory must exist (<see cref="CreateDirectory"/>).
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write, bool executable = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        var options = NewFile(System.IO.FileMode.CreateNew);
        if (executable && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode | UnixFileMode.UserExecute;
        }

        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var stream = new FileStream(temp, options))
        {
            write(stream);
        }

        File.Move(temp, path, overwrite: true);
    }
}
