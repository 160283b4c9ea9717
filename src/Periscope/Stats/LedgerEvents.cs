using Periscope.Delivery;
using Periscope.Events;

namespace Periscope.Stats;

/// <summary>The ledger's events, the last line of each event id kept, and how many lines were not events.</summary>
internal sealed record LedgerEvents(IReadOnlyList<IPeriscopeEvent> Events, int CorruptLines)
{
    /// <summary>Reads every ledger file whose month can hold events in [since, until).</summary>
    public static LedgerEvents Read(LocalLedger ledger, DateOnly? since, DateOnly? until)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var byId = new Dictionary<string, IPeriscopeEvent>(StringComparer.Ordinal);
        var corrupt = 0;
        foreach (var file in ledger.Files())
        {
            if (!MonthOverlaps(Path.GetFileNameWithoutExtension(file), since, until))
            {
                continue;
            }

            foreach (var line in File.ReadLines(file))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var read = EventJson.Read(System.Text.Encoding.UTF8.GetBytes(line));
                if (read.Success)
                {
                    byId[read.Event.EventId] = read.Event;
                }
                else
                {
                    corrupt++;
                }
            }
        }

        var events = byId.Values.Where(e => InRange(DateOnly.FromDateTime(e.OccurredAt.UtcDateTime), since, until)).ToList();
        return new LedgerEvents(events, corrupt);
    }

    private static bool InRange(DateOnly day, DateOnly? since, DateOnly? until)
        => (since is null || day >= since) && (until is null || day < until);

    // "2026-11" overlaps [since, until) unless it ends before since or starts at/after until.
    private static bool MonthOverlaps(string name, DateOnly? since, DateOnly? until)
    {
        if (!DateOnly.TryParseExact(name + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var first))
        {
            return true; // not a month file name: read it, the events' own dates decide
        }

        return (since is null || first.AddMonths(1) > since) && (until is null || first < until);
    }
}
