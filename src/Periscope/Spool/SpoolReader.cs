using Periscope.Platform;

namespace Periscope.Spool;

/// <summary>The spool's events, oldest first, and the quarantine for files that are not events.</summary>
internal sealed class SpoolReader(StatePaths paths)
{
    /// <summary>Spool files, oldest first (by last write, then name, so the order is stable).</summary>
    public IReadOnlyList<FileInfo> Pending()
    {
        var spool = new DirectoryInfo(paths.Spool);
        return spool.Exists
            ? spool.GetFiles("*.json").OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Moves a spool file to dead/, with the reason beside it. Never loses the file.</summary>
    public void Quarantine(FileInfo file, string reason)
    {
        ArgumentNullException.ThrowIfNull(file);
        PrivateFiles.CreateDirectory(paths.Dead);
        var target = Path.Combine(paths.Dead, file.Name);
        File.Move(file.FullName, target, overwrite: true);
        File.WriteAllText(target + ".reason.txt", reason + "\n");
    }
}
