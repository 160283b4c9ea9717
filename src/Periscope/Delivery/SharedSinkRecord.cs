using System.Globalization;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>
/// One of several sinks (the ingest and an OTLP receiver): each sink marks what it took in
/// acks/&lt;sink&gt;/&lt;event id&gt;, and an event leaves the spool, into the ledger, only when
/// every sink has it. An event one sink refuses is copied to dead/&lt;sink&gt;/ with the reason,
/// and counts as done for that sink, so it never holds the others back. A marker names the spool
/// file's write time: a hook that rewrote the event since makes every sink send the new version.
/// </summary>
internal sealed class SharedSinkRecord(StatePaths paths, LocalLedger ledger, string sink, IReadOnlyList<string> sinks) : IDrainRecord
{
    private const string Taken = "ok";
    private const string Refused = "dead";

    public bool IsPending(SpoolEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Mark(sink, entry) is null;
    }

    public void Accepted(IReadOnlyList<SpoolEntry> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        foreach (var entry in accepted)
        {
            Write(entry, Taken);
        }

        Complete(accepted);
    }

    public void DeadLettered(SpoolEntry entry, string reason)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var dead = Path.Combine(paths.Dead, sink);
        PrivateFiles.CreateDirectory(dead);
        try
        {
            File.Copy(entry.File.Path, Path.Combine(dead, entry.File.Name), overwrite: true);
        }
        catch (FileNotFoundException)
        {
            return; // gone meanwhile
        }

        File.WriteAllText(Path.Combine(dead, entry.File.Name + ".reason.txt"), reason + "\n");
        Write(entry, Refused);
        Complete([entry]);
    }

    /// <summary>acks/&lt;sink&gt;: where a sink's marks are.</summary>
    public static string Directory(StatePaths paths, string sink) => Path.Combine(paths.Root, "acks", sink);

    // Every sink has the event: into the ledger (when one took it), out of the spool, marks gone.
    private void Complete(IReadOnlyList<SpoolEntry> entries)
    {
        var done = entries.Select(e => (Entry: e, Marks: sinks.Select(s => Mark(s, e)).ToList()))
            .Where(d => d.Marks.TrueForAll(m => m is not null))
            .ToList();
        ledger.Append(done.Where(d => d.Marks.Contains(Taken)).Select(d => (d.Entry.Event, d.Entry.Json)));
        foreach (var (entry, _) in done)
        {
            SpoolReader.Remove(entry);
            foreach (var s in sinks)
            {
                File.Delete(Path.Combine(Directory(paths, s), entry.File.Name));
            }
        }
    }

    // ok or dead when the sink has this version of the event; null otherwise.
    private string? Mark(string which, SpoolEntry entry)
    {
        var path = Path.Combine(Directory(paths, which), entry.File.Name);
        if (!File.Exists(path))
        {
            return null;
        }

        var text = File.ReadAllText(path).Split(' ');
        return text.Length == 2 && text[1] == Version(entry) ? text[0] : null;
    }

    private void Write(SpoolEntry entry, string mark)
    {
        var directory = Directory(paths, sink);
        PrivateFiles.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, entry.File.Name), $"{mark} {Version(entry)}");
    }

    private static string Version(SpoolEntry entry) => entry.File.WrittenAtUtc.Ticks.ToString(CultureInfo.InvariantCulture);
}
