namespace Periscope.Platform;

/// <summary>
/// A file system failure in plain words, with the path it concerns. The shipped executable keeps
/// only the framework's resource keys (UseSystemResourceKeys, for start-up), so an exception's
/// message reads "UnauthorizedAccess_IODenied_Path, /x"; this turns the common ones back into words.
/// </summary>
internal static class FileProblem
{
    /// <summary>
    /// What .NET throws for EFBIG (a write past the file-size limit, <c>ulimit -f</c>, or the
    /// file system's largest file), an ArgumentOutOfRangeException, as the I/O error it is.
    /// </summary>
    public static IOException TooLarge(string path, ArgumentOutOfRangeException exception)
        => new($"{path}: file too large: a file-size limit (ulimit -f) or the file system stopped the write", exception);

    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var comma = message.IndexOf(", ", StringComparison.Ordinal);
        var isKey = comma > 0 && message.AsSpan(0, comma).IndexOfAny(' ', '.') < 0 && message.AsSpan(0, comma).Contains('_');
        if (!isKey)
        {
            return message.ReplaceLineEndings(" ").Trim();
        }

        var key = message[..comma];
        var path = message[(comma + 2)..].Trim();
        var words = key switch
        {
            _ when key.StartsWith("UnauthorizedAccess_", StringComparison.Ordinal) => "permission denied",
            "IO_FileExists_Name" or "IO_AlreadyExists_Name" => "a file is in the way",
            "IO_PathNotFound_Path" or "IO_PathNotFound_NoPathName" => "no such directory",
            "IO_FileNotFound_FileName" or "IO_FileNotFound" => "no such file",
            "IO_PathTooLong_Path" or "IO_PathTooLong" => "the path is too long",
            "IO_DiskFull_Path_AllocationSize" => "the disk is full",
            "IO_SharingViolation_File" or "IO_SharingViolation_NoFileName" => "the file is in use",
            _ => exception switch
            {
                UnauthorizedAccessException => "permission denied",
                DirectoryNotFoundException => "no such directory",
                FileNotFoundException => "no such file",
                _ => key,
            },
        };
        return path.Length > 0 ? $"{words}: {path}" : words;
    }
}
