using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Spool;

/// <summary>
/// The spool's events, oldest first, in batches; the quarantine for files that are not events and
/// for events the ingest refused; the limits on what the spool keeps.
/// </summary>
internal sealed class SpoolReader(StatePaths paths)
{
    // {"events":[ ... ]} around the events, and a comma between two.
    private const int EnvelopeBytes = 13;

    /// <summary>Spool files, oldest first (by last write, then name, so the order is stable).</summary>
    public IReadOnlyList<FileInfo> Pending()
    {
        var spool = new DirectoryInfo(paths.Spool);
        return spool.Exists
            ? spool.GetFiles("*.json").OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Events quarantined in dead/ (each beside its .reason.txt).</summary>
    public int DeadLetters()
        => Directory.Exists(paths.Dead) ? Directory.GetFiles(paths.Dead, "*.json").Length : 0;

    /// <summary>
    /// The pending events in batches of at most <paramref name="maxEvents"/> and
    /// <paramref name="maxBytes"/> of JSON. A file that is not a valid event is quarantined as it is
    /// met and never blocks the queue.
    /// </summary>
    public IEnumerable<SpoolBatch> Batches(int maxEvents, long maxBytes)
    {
        var entries = new List<SpoolEntry>();
        long bytes = EnvelopeBytes;
        var quarantined = 0;
        foreach (var file in Pending())
        {
            var entry = Read(file, ref quarantined);
            if (entry is null)
            {
                continue;
            }

            if (entries.Count > 0 && (entries.Count == maxEvents || bytes + entry.Json.Length + 1 > maxBytes))
            {
                yield return new SpoolBatch(entries, quarantined);
                entries = [];
                bytes = EnvelopeBytes;
                quarantined = 0;
            }

            entries.Add(entry);
            bytes += entry.Json.Length + 1;
        }

        if (entries.Count > 0 || quarantined > 0)
        {
            yield return new SpoolBatch(entries, quarantined);
        }
    }

    /// <summary>Removes a delivered event, unless a hook has rewritten its file since it was read.</summary>
    public static void Remove(SpoolEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);

        // A hook may have rewritten the same event meanwhile (a session's newer state): that
        // version stays for the next drain.
        var file = new FileInfo(entry.File.FullName);
        if (file.Exists && file.LastWriteTimeUtc == entry.WrittenAtUtc)
        {
            file.Delete();
        }
    }

    /// <summary>Moves a spool file to dead/, with the reason beside it. Never loses the file.</summary>
    public void Quarantine(FileInfo file, string reason)
    {
        ArgumentNullException.ThrowIfNull(file);
        PrivateFiles.CreateDirectory(paths.Dead);
        var target = Path.Combine(paths.Dead, file.Name);
        try
        {
            File.Move(file.FullName, target, overwrite: true);
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
        long bytes = pending.Sum(f => f.Length);
        var count = pending.Count;
        int expired = 0, full = 0;
        var oldestAllowed = (now - limits.MaxAge).UtcDateTime;
        foreach (var file in pending)
        {
            var isExpired = file.LastWriteTimeUtc < oldestAllowed;
            if (!isExpired && count <= limits.MaxEvents && bytes <= limits.MaxBytes)
            {
                break; // oldest first: everything after this one is newer and fits
            }

            var length = file.Length;
            try
            {
                file.Delete();
            }
            catch (IOException)
            {
                continue;
            }

            count--;
            bytes -= length;
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

    private SpoolEntry? Read(FileInfo file, ref int quarantined)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
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

        return new SpoolEntry(file, file.LastWriteTimeUtc, read.Event, EventJson.Serialize(read.Event));
    }
}
