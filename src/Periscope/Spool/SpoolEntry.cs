using Periscope.Events;

namespace Periscope.Spool;

/// <summary>One valid event in the spool: its file, as it was when listed, and its JSON on one line.</summary>
internal sealed record SpoolEntry(SpoolFile File, IPeriscopeEvent Event, byte[] Json)
{
    public string EventId => Event.EventId;
}

/// <summary>Events read for one request, and how many corrupt files were quarantined on the way.</summary>
internal sealed record SpoolBatch(IReadOnlyList<SpoolEntry> Entries, int Quarantined)
{
    // {"events":[ ... ]} around the events, and a comma between two.
    private const int EnvelopeBytes = 13;

    /// <summary>The bytes of the events' JSON.</summary>
    public long Bytes => Entries.Sum(e => (long)e.Json.Length);

    /// <summary>
    /// Events in order, in batches of at most <paramref name="maxEvents"/> and <paramref name="maxBytes"/>
    /// of request body; a null entry is a file quarantined on the way, counted in the batch it falls in.
    /// </summary>
    public static IEnumerable<SpoolBatch> Pack(IEnumerable<(SpoolEntry? Entry, int Quarantined)> items, int maxEvents, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(items);
        var entries = new List<SpoolEntry>();
        long bytes = EnvelopeBytes;
        var quarantined = 0;
        foreach (var (entry, skipped) in items)
        {
            quarantined += skipped;
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
}

/// <summary>Where a drain takes its events from: the spool's files, or events held in memory.</summary>
internal interface ISpoolSource
{
    IEnumerable<SpoolBatch> Batches(int maxEvents, long maxBytes);
}

/// <summary>What enforcing the spool's limits dropped.</summary>
internal readonly record struct SpoolTrim(int Expired, int Full);
