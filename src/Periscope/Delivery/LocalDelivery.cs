using Periscope.Events;
using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>What one drain did.</summary>
internal sealed record DrainResult(int Delivered, int Quarantined, IReadOnlyCollection<string> LedgerFiles);

/// <summary>
/// Local mode's delivery: spool -> ledger, oldest first, in batches. A file that is not a valid
/// event goes to dead/ with the reason and never blocks the queue. An event leaves the spool only
/// after its ledger line is written.
/// </summary>
internal sealed class LocalDelivery(SpoolReader spool, LocalLedger ledger)
{
    private const int BatchSize = 500;

    /// <summary>Drains the spool; <paramref name="progress"/> hears the running count of files handled.</summary>
    public DrainResult Drain(Action<int>? progress = null)
    {
        int delivered = 0, quarantined = 0;
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in spool.Pending().Chunk(BatchSize))
        {
            var good = new List<(IPeriscopeEvent, byte[])>();
            var goodFiles = new List<FileInfo>();
            foreach (var file in batch)
            {
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(file.FullName);
                }
                catch (FileNotFoundException)
                {
                    continue; // drained or replaced meanwhile
                }

                var read = EventJson.Read(bytes);
                if (read.Success)
                {
                    good.Add((read.Event, EventJson.Serialize(read.Event)));
                    goodFiles.Add(file);
                }
                else
                {
                    spool.Quarantine(file, $"not a valid event: {read.Error}");
                    quarantined++;
                }
            }

            files.UnionWith(ledger.Append(good));
            foreach (var file in goodFiles)
            {
                // A hook may have rewritten the same event meanwhile (a session's newer state):
                // that version stays for the next drain; the ledger keeps the last line per id.
                var written = file.LastWriteTimeUtc;
                file.Refresh();
                if (file.Exists && file.LastWriteTimeUtc == written)
                {
                    file.Delete();
                }
            }

            delivered += goodFiles.Count;
            progress?.Invoke(delivered + quarantined);
        }

        return new DrainResult(delivered, quarantined, files);
    }
}
