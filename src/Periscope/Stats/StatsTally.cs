namespace Periscope.Stats;

/// <summary>
/// Report rows being summed: events are added one at a time and tallies of separate slices of the
/// ledger merge, so a report never holds the events themselves.
/// </summary>
internal sealed class StatsTally(StatsGrouping grouping)
{
    private readonly Dictionary<string, StatsRow> _rows = new(StringComparer.Ordinal);
    private readonly StatsRow _totals = new("total");

    /// <summary>Lines of the ledger that are not valid events.</summary>
    public int CorruptLines { get; set; }

    public void Add(Usage usage)
    {
        if (usage.IsCommit)
        {
            _totals.Commits++;
            if (StatsReport.CommitsHaveRows(grouping))
            {
                Row(usage.Key).Commits++;
            }

            return;
        }

        Row(usage.Key).Count(usage);
        _totals.Count(usage);
    }

    public void Merge(StatsTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var row in other._rows.Values)
        {
            Row(row.Key).Add(row);
        }

        _totals.Add(other._totals);
        CorruptLines += other.CorruptLines;
    }

    public StatsReport ToReport()
    {
        var ordered = grouping == StatsGrouping.Day
            ? _rows.Values.OrderBy(r => r.Key, StringComparer.Ordinal).ToList()
            : _rows.Values.OrderByDescending(r => r.Cost).ThenByDescending(r => r.Commits).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        return new StatsReport(grouping, ordered, _totals, CorruptLines);
    }

    private StatsRow Row(string key)
    {
        if (!_rows.TryGetValue(key, out var row))
        {
            row = new StatsRow(key);
            _rows.Add(key, row);
        }

        return row;
    }
}
