namespace Periscope.Stats;

/// <summary>
/// Cost, tokens of each kind, messages and commits, grouped by model, provider, day, repository or
/// session. Commits count where they can be placed: by day, repository and session (a commit has
/// no model); they are always in the totals.
/// </summary>
internal sealed record StatsReport(StatsGrouping Grouping, IReadOnlyList<StatsRow> Rows, StatsRow Totals, int CorruptLines)
{
    /// <summary>Whether the commits column means anything for this grouping.</summary>
    public bool HasCommits => Grouping is StatsGrouping.Day or StatsGrouping.Repo or StatsGrouping.Session;

    public static StatsReport Build(IEnumerable<Usage> usages, StatsGrouping grouping, int corruptLines)
    {
        ArgumentNullException.ThrowIfNull(usages);
        var rows = new Dictionary<string, StatsRow>(StringComparer.Ordinal);
        var totals = new StatsRow("total");
        var commitsHaveRows = grouping is StatsGrouping.Day or StatsGrouping.Repo or StatsGrouping.Session;
        foreach (var usage in usages)
        {
            if (usage.IsCommit)
            {
                totals.Commits++;
                if (commitsHaveRows)
                {
                    Row(rows, usage.Key).Commits++;
                }

                continue;
            }

            foreach (var row in new[] { Row(rows, usage.Key), totals })
            {
                row.Messages++;
                row.Input += usage.Input;
                row.Output += usage.Output;
                row.Reasoning += usage.Reasoning;
                row.CacheRead += usage.CacheRead;
                row.CacheWrite += usage.CacheWrite;
                row.Cost += usage.Cost;
            }
        }

        var ordered = grouping == StatsGrouping.Day
            ? rows.Values.OrderBy(r => r.Key, StringComparer.Ordinal).ToList()
            : rows.Values.OrderByDescending(r => r.Cost).ThenByDescending(r => r.Commits).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        return new StatsReport(grouping, ordered, totals, corruptLines);
    }

    private static StatsRow Row(Dictionary<string, StatsRow> rows, string key)
    {
        if (!rows.TryGetValue(key, out var row))
        {
            row = new StatsRow(key);
            rows.Add(key, row);
        }

        return row;
    }
}
