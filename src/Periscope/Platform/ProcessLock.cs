namespace Periscope.Platform;

/// <summary>
/// A lock between processes: an exclusive open of a file, which the operating system releases
/// when the holder exits, however it exits.
/// </summary>
internal static class ProcessLock
{
    /// <summary>The held lock, or null when another process holds it.</summary>
    public static FileStream? TryAcquire(string path)
    {
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            return new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None });
        }
        catch (IOException)
        {
            return null;
        }
    }
}
