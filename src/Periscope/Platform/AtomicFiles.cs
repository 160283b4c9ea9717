using System.Text;

namespace Periscope.Platform;

/// <summary>
/// Writes a file through a temporary file beside it and a rename, so a reader (OpenCode, another
/// periscope) sees the old content or the new, never half.
/// </summary>
internal static class AtomicFiles
{
    /// <summary>Writes <paramref name="path"/> with a new file made from <paramref name="options"/> (CreateNew).</summary>
    public static void Write(string path, FileStreamOptions options, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                write(stream);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            TryDelete(temp);
            throw FileProblem.TooLarge(path, ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Replaces a text file the user owns and edits (OpenCode's config, analytics.json), creating its
    /// directory when missing. An existing file keeps its mode; a new one gets the usual (umask).
    /// </summary>
    public static void ReplaceText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        Write(path, options, stream =>
        {
            if (HostOS.IsUnix && File.Exists(path) && stream is FileStream file)
            {
                File.SetUnixFileMode(file.SafeFileHandle, File.GetUnixFileMode(path));
            }

            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
            stream.Write(bytes);
        });
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The write failed already; that is the error worth reporting.
        }
    }
}
