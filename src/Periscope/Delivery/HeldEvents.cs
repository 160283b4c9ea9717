using Periscope.Events;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>
/// Events held in memory on their way to the sinks, for a caller whose source keeps them safe
/// until they are delivered (import: OpenCode's database, read again by the next run). Each sink
/// drains them as it drains the spool; then an event every sink has is appended to the ledger,
/// and one that some sink could not take now is written to the spool for the worker, so nothing
/// waits in memory alone. A sink's refusal goes to dead/ with the reason, as for spooled events.
/// </summary>
internal sealed class HeldEvents : ISpoolSource
{
    private readonly StatePaths _paths;
    private readonly List<SpoolEntry> _entries;
    private readonly Dictionary<string, int> _done = new(StringComparer.Ordinal);

    public HeldEvents(StatePaths paths, IEnumerable<IPeriscopeEvent> events, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(events);
        _paths = paths;
        _entries = [.. events.Select(e => new SpoolEntry(new SpoolFile(SpoolWriter.PathOf(paths, e.EventId), now, 0), e, EventJson.Serialize(e)))];
    }

    public int Count => _entries.Count;

    public IEnumerable<SpoolBatch> Batches(int maxEvents, long maxBytes)
        => SpoolBatch.Pack(_entries.Select(e => ((SpoolEntry?)e, 0)), maxEvents, maxBytes);

    /// <summary>What one sink does with its answers: <paramref name="shared"/> when other sinks take the same events.</summary>
    public IDrainRecord RecordFor(string sink, bool shared) => new Record(this, sink, shared);

    /// <summary>
    /// After every sink has had its turn: the events every sink took or refused go to the ledger
    /// (when one took them); the rest go to the spool.
    /// </summary>
    /// <returns>Events that reached the ledger and their bytes; events spooled.</returns>
    public (int Completed, long Bytes, int Spooled) Settle(int sinks)
    {
        var ledger = new List<(IPeriscopeEvent, byte[])>();
        var spool = new SpoolWriter(_paths);
        var (completed, bytes, spooled) = (0, 0L, 0);
        foreach (var entry in _entries)
        {
            var done = _done.GetValueOrDefault(entry.EventId);
            if ((done & Counts) < sinks)
            {
                spool.Write(entry.Event);
                spooled++;
            }
            else if ((done & TakenFlag) != 0)
            {
                ledger.Add((entry.Event, entry.Json));
                completed++;
                bytes += entry.Json.Length;
            }
        }

        new LocalLedger(_paths).Append(ledger);
        return (completed, bytes, spooled);
    }

    // Per event: how many sinks are done with it (low bits), and whether one took it.
    private const int TakenFlag = 1 << 16;
    private const int Counts = TakenFlag - 1;

    private void Done(string eventId, bool taken) => _done[eventId] = (_done.GetValueOrDefault(eventId) + 1) | (taken ? TakenFlag : 0);

    private sealed class Record(HeldEvents held, string sink, bool shared) : IDrainRecord
    {
        public bool IsPending(SpoolEntry entry) => true;

        public void Accepted(IReadOnlyList<SpoolEntry> accepted)
        {
            foreach (var entry in accepted)
            {
                held.Done(entry.EventId, taken: true);
            }
        }

        public void DeadLettered(SpoolEntry entry, string reason)
        {
            var dead = shared ? Path.Combine(held._paths.Dead, sink) : held._paths.Dead;
            PrivateFiles.CreateDirectory(dead);
            var name = entry.File.Name;
            File.WriteAllBytes(Path.Combine(dead, name), entry.Json);
            File.WriteAllText(Path.Combine(dead, name + ".reason.txt"), reason + "\n");
            held.Done(entry.EventId, taken: false);
        }
    }
}
