using Periscope.Config;
using System.IO.Enumeration;
using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Spool;

/// <summary>
/// The spool's events, oldest first, in batches; the quarantine for files that are not events and
/// for events the ingest refused; the limits on what the spool keeps.
/// </summary>
internal sealed class SpoolReader(StatePaths paths) : ISpoolSource
{
    private static readonly EnumerationOptions s_topLevel = new() { RecurseSubdirectories = false, IgnoreInaccessible = true };

    /// <summary>Spool files, oldest first (by last write, then name, so the order is stable).</summary>
    public List<SpoolFile> Pending()
    {
        var files = Events(static (ref FileSystemEntry entry) => new SpoolFile(entry.ToFullPath(), entry.LastWriteTimeUtc.UtcDateTime, entry.Length))?.ToList() ?? [];
        files.Sort(static (a, b) => a.WrittenAtUtc != b.WrittenAtUtc ? a.WrittenAtUtc.CompareTo(b.WrittenAtUtc) : string.CompareOrdinal(a.Path, b.Path));
        return files;
    }

    /// <summary>How many events wait in the spool, without listing them.</summary>
    public int Count() => Events(static (ref FileSystemEntry _) => true)?.Count() ?? 0;

    /// <summary>When the oldest waiting event was written; null when none waits.</summary>
    public DateTime? Oldest()
    {
        DateTime? oldest = null;
        foreach (var written in Events(static (ref FileSystemEntry entry) => entry.LastWriteTimeUtc.UtcDateTime) ?? Enumerable.Empty<DateTime>())
        {
            oldest = oldest is { } o && o <= written ? o : written;
        }

        return oldest;
    }

    /// <summary>Events quarantined in dead/ (each beside its .reason.txt).</summary>
    public int DeadLetters()
        => Directory.Exists(paths.Dead) ? Directory.GetFiles(paths.Dead, "*.json").Length : 0;

    /// <summary>
    /// The pending events in batches of at most <paramref name="maxEvents"/> and
    /// <paramref name="maxBytes"/> of JSON. A file that is not a valid event is quarantined as it is
    /// met and never blocks the queue.
    /// </summary>
    public IEnumerable<SpoolBatch> Batches(int maxEvents, long maxBytes) => SpoolBatch.Pack(ReadPending(), maxEvents, maxBytes);

    // Each pending file as an event, or as null with 1 when it was quarantined on the way.
    private IEnumerable<(SpoolEntry? Entry, int Quarantined)> ReadPending()
    {
        foreach (var file in Pending())
        {
            var quarantined = 0;
            var entry = Read(file, ref quarantined);
            yield return (entry, quarantined);
        }
    }

    /// <summary>Removes a delivered event, unless a hook has rewritten its file since it was listed.</summary>
    public static void Remove(SpoolEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // A hook may have rewritten the same event meanwhile (a session's newer state): that
        // version stays for the next drain. (A missing file reads as 1601-01-01, never equal.)
        if (File.GetLastWriteTimeUtc(entry.File.Path) == entry.File.WrittenAtUtc)
        {
            File.Delete(entry.File.Path);
        }
    }

    /// <summary>Moves a spool file to dead/, with the reason beside it. Never loses the file.</summary>
    public void Quarantine(SpoolFile file, string reason)
    {
        PrivateFiles.CreateDirectory(paths.Dead);
        var target = Path.Combine(paths.Dead, file.Name);
        try
        {
            File.Move(file.Path, target, overwrite: true);
        }
        catch (FileNotFoundException)
        {
            return; // gone meanwhile: nothing to keep
        }

        File.WriteAllText(target + ".reason.txt", reason + "\n");
    }

    /// <summary>Drops expired events, then the oldest while the spool holds more than the limits allow.</summary>
    public SpoolTrim Trim(SpoolLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var pending = Pending();
        var bytes = pending.Sum(f => f.Length);
        var count = pending.Count;
        int expired = 0, full = 0;
        var oldestAllowed = (now - limits.MaxAge).UtcDateTime;
        foreach (var file in pending)
        {
            var isExpired = file.WrittenAtUtc < oldestAllowed;
            if (!isExpired && count <= limits.MaxEvents && bytes <= limits.MaxBytes)
            {
                break; // oldest first: everything after this one is newer and fits
            }

            try
            {
                File.Delete(file.Path);
            }
            catch (IOException)
            {
                continue;
            }

            count--;
            bytes -= file.Length;
            if (isExpired)
            {
                expired++;
            }
            else
            {
                full++;
            }
        }

        return new SpoolTrim(expired, full);
    }

    private SpoolEntry? Read(SpoolFile file, ref int quarantined)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.Path);
        }
        catch (FileNotFoundException)
        {
            return null; // delivered or replaced meanwhile
        }

        var read = EventJson.Read(bytes);
        if (!read.Success)
        {
            Quarantine(file, $"not a valid event: {read.Error}");
            quarantined++;
            return null;
        }

        // The hook's own files are already one line of valid JSON: send them as they are. Anything
        // else that still reads as an event (a file someone reformatted) is rewritten onto one line
        // for the ledger.
        var json = bytes.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') < 0 ? bytes : EventJson.Serialize(read.Event);
        return new SpoolEntry(file, read.Event, json);
    }

    /// <summary>The spool's event files, each through <paramref name="transform"/>; null when there is no spool yet.</summary>
    private FileSystemEnumerable<T>? Events<T>(FileSystemEnumerable<T>.FindTransform transform)
        => Directory.Exists(paths.Spool)
            ? new FileSystemEnumerable<T>(paths.Spool, transform, s_topLevel)
            {
                ShouldIncludePredicate = static (ref FileSystemEntry entry) => !entry.IsDirectory && entry.FileName.EndsWith(".json", StringComparison.Ordinal),
            }
            : null;
}
