using Periscope.Platform;

namespace Periscope.Spool;

/// <summary>
/// One drainer of the spool at a time (flush, the worker): an exclusive open of worker.lock, which
/// the operating system releases when the holder exits, however it exits.
/// </summary>
internal static class DrainLock
{
    /// <summary>The held lock, or null when another process holds it.</summary>
    public static FileStream? TryAcquire(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        PrivateFiles.CreateDirectory(paths.Root);
        try
        {
            return new FileStream(paths.DrainLock, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None });
        }
        catch (IOException)
        {
            return null;
        }
    }
}
