using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>
/// Drains the spool (or events held in memory) into a sink, oldest first, in batches: accepted
/// events go to the ledger and leave the spool; refused ones go to dead/ with the reason; a 413
/// halves the batch. When the sink is unavailable the drain stops and everything not yet accepted
/// stays where it was.
/// </summary>
internal sealed class SpoolDrain(ISpoolSource spool, IDrainRecord record, IEventSink sink, DeliveryOptions options)
{
    public async Task<DrainResult> DrainAsync(IProgress<DrainProgress>? progress, CancellationToken cancellationToken)
    {
        var totals = new Totals();
        foreach (var batch in spool.Batches(options.MaxBatchEvents, options.MaxBatchBytes))
        {
            totals.DeadLettered += batch.Quarantined;
            var pending = batch.Entries.Where(record.IsPending).ToList();
            if (pending.Count == 0)
            {
                continue;
            }

            var stopped = await SendAsync(pending, totals, cancellationToken);

            // A batch's events and its request body live across the network wait, so a collection
            // then promotes them; they die here, as older garbage the GC would keep until its budget
            // for that generation runs out (13 MB of the worker's peak with an OTLP receiver).
            // Collecting the young generations at the batch's end returns it, for about a
            // millisecond a batch (docs/opentelemetry.md).
            GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
            progress?.Report(new DrainProgress(totals.Delivered, totals.Bytes, totals.DeadLettered));
            if (stopped is not null)
            {
                return new DrainResult(totals.Delivered, totals.Bytes, totals.DeadLettered, stopped);
            }
        }

        return new DrainResult(totals.Delivered, totals.Bytes, totals.DeadLettered, null);
    }

    private async Task<SinkResult.Unavailable?> SendAsync(IReadOnlyList<SpoolEntry> entries, Totals totals, CancellationToken cancellationToken)
    {
        var pending = entries;
        while (pending.Count > 0)
        {
            switch (await sink.SendAsync(pending, cancellationToken))
            {
                case SinkResult.Accepted accepted:
                    Deliver(DeadLetter(pending, accepted.Rejected, totals), totals);
                    return null;

                case SinkResult.Refused refused:
                    var rest = DeadLetter(pending, refused.Rejected, totals);
                    if (rest.Count == pending.Count)
                    {
                        // Refused, naming none of the batch's events: sending it again changes nothing.
                        DeadLetterAll(pending, "the ingest refused the batch without naming an event of it", totals);
                        return null;
                    }

                    pending = rest;
                    break;

                case SinkResult.TooLarge when pending.Count == 1:
                    DeadLetterAll(pending, "the ingest answered 413: the event alone is too large for it", totals);
                    return null;

                case SinkResult.PartlyRejected partly when pending.Count == 1:
                    DeadLetterAll(pending, partly.Message, totals);
                    return null;

                case SinkResult.TooLarge or SinkResult.PartlyRejected:
                    var half = pending.Count / 2;
                    return await SendAsync(pending.Take(half).ToList(), totals, cancellationToken)
                        ?? await SendAsync(pending.Skip(half).ToList(), totals, cancellationToken);

                case SinkResult.Undeliverable undeliverable:
                    DeadLetterAll(pending, undeliverable.Reason, totals);
                    return null;

                case SinkResult.Unavailable unavailable:
                    return unavailable;
            }
        }

        return null;
    }

    private void Deliver(IReadOnlyList<SpoolEntry> accepted, Totals totals)
    {
        record.Accepted(accepted);
        foreach (var entry in accepted)
        {
            totals.Delivered++;
            totals.Bytes += entry.Json.Length;
        }
    }

    /// <summary>Moves the rejected events of the batch to dead/; returns the others.</summary>
    private List<SpoolEntry> DeadLetter(IReadOnlyList<SpoolEntry> entries, IReadOnlyList<Rejection> rejected, Totals totals)
    {
        if (rejected.Count == 0)
        {
            return [.. entries];
        }

        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rejection in rejected)
        {
            reasons.TryAdd(rejection.EventId, rejection.Reason);
        }

        var rest = new List<SpoolEntry>(entries.Count);
        foreach (var entry in entries)
        {
            if (reasons.TryGetValue(entry.EventId, out var reason))
            {
                record.DeadLettered(entry, reason);
                totals.DeadLettered++;
            }
            else
            {
                rest.Add(entry);
            }
        }

        return rest;
    }

    private void DeadLetterAll(IReadOnlyList<SpoolEntry> entries, string reason, Totals totals)
    {
        foreach (var entry in entries)
        {
            record.DeadLettered(entry, reason);
            totals.DeadLettered++;
        }
    }

    private sealed class Totals
    {
        public int Delivered { get; set; }

        public long Bytes { get; set; }

        public int DeadLettered { get; set; }
    }
}
