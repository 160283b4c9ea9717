using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>One sink: an accepted event goes to the ledger, then leaves the spool; a refused one moves to dead/.</summary>
internal sealed class SoleSinkRecord(SpoolReader spool, LocalLedger ledger) : IDrainRecord
{
    public bool IsPending(SpoolEntry entry) => true;

    public void Accepted(IReadOnlyList<SpoolEntry> accepted)
    {
        // The ledger line first: a crash between the two repeats the event (same event_id), never loses it.
        ledger.Append(accepted.Select(e => (e.Event, e.Json)));
        foreach (var entry in accepted)
        {
            SpoolReader.Remove(entry);
        }
    }

    public void DeadLettered(SpoolEntry entry, string reason) => spool.Quarantine(entry.File, reason);
}
